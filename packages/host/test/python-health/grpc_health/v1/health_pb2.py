# Stand-in (see ../../README.md): only the enum values plugin.py reads.


class _ServingStatus:
    _values = {"UNKNOWN": 0, "SERVING": 1, "NOT_SERVING": 2, "SERVICE_UNKNOWN": 3}

    @classmethod
    def Value(cls, name):
        return cls._values[name]


class HealthCheckResponse:
    ServingStatus = _ServingStatus
