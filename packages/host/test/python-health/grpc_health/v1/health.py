# Stand-in (see ../../README.md): grpc.health.v1 Check over raw bytes.
# HealthCheckRequest is { string service = 1 }; HealthCheckResponse is { ServingStatus status = 1 }.
import grpc


def _service_of(request):
    # Field 1, wire type 2 (0x0a), a varint length, then the UTF-8 name; an empty message is "".
    if not request:
        return ""
    length, shift, i = 0, 0, 1
    while True:
        byte = request[i]
        length |= (byte & 0x7F) << shift
        i += 1
        if byte < 0x80:
            break
        shift += 7
    return request[i:i + length].decode("utf-8")


class HealthServicer:
    def __init__(self):
        self._status = {}

    def set(self, service, status):
        self._status[service] = status

    def check_bytes(self, request, context):
        status = self._status.get(_service_of(request))
        if status is None:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
        return bytes([0x08, status])
