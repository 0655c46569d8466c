#!/usr/bin/env bash
# Installs Go 1.19, hashicorp/go-plugin 1.0.1 and gRPC from Debian, so that the go-plugin interop
# tests (packages/host/test/go-*.test.ts) build the Go plugins offline in GOPATH mode. protoc
# and protoc-gen-go let that test also check examples/go-greeter/greeterpb against greeter.proto.
# Then grpcio, grpcio-health-checking and protobuf for python3 (examples/python-kv, go-plugin's
# Python example). Never fails CI: without apt (or root, or pip), it says so and the tests skip, saying why.
set -uo pipefail

# go-plugin's Python example. On Python 3.11 here, pip finds grpcio 1.84.0 and protobuf 7.36.2 (or
# 6.33.6); where grpcio-health-checking cannot be found, the two others alone (python-kv.test.ts then
# serves the health check with its own stand-in, and says so).
install_python_grpc() {
  if ! command -v python3 >/dev/null; then
    echo "install-go: no python3; the Python go-plugin test will skip" >&2
    return
  fi
  if python3 -c 'import grpc, grpc_health.v1.health, google.protobuf' 2>/dev/null; then
    echo "install-go: grpcio, grpcio-health-checking and protobuf already installed"
  elif python3 -m pip install -q grpcio grpcio-health-checking protobuf >/dev/null 2>&1 ||
    python3 -m pip install -q grpcio protobuf >/dev/null 2>&1; then
    echo "install-go: $(python3 -m pip list 2>/dev/null | grep -Ei '^(grpcio|protobuf)' | tr -s ' ' | tr '\n' ' ')"
  else
    echo "install-go: pip could not install grpcio; the Python go-plugin test will skip" >&2
  fi
}
install_python_grpc
packages=(golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev protobuf-compiler golang-goprotobuf-dev)
if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/hashicorp/go-plugin ]; then
  echo "install-go: Go and go-plugin already installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-go: not root and no passwordless sudo; the go-plugin tests will skip" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null; then
  echo "install-go: apt-get is not available; the go-plugin tests will skip" >&2
  exit 0
fi
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null; then
  echo "install-go: $(go version)"
else
  echo "install-go: apt-get failed; the go-plugin tests will skip" >&2
fi
exit 0
