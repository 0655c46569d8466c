# Stand-in (see ../../README.md): registers grpc.health.v1.Health/Check with raw-bytes messages.
import grpc


def add_HealthServicer_to_server(servicer, server):
    check = grpc.unary_unary_rpc_method_handler(servicer.check_bytes)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": check}),))
