#!/usr/bin/env bash
# Installs Go 1.19, hashicorp/go-plugin 1.0.1 and gRPC from Debian, so that the go-plugin interop
# test (packages/host/test/go-plugin.test.ts) builds the Go greeter offline in GOPATH mode. protoc
# and protoc-gen-go let that test also check examples/go-greeter/greeterpb against greeter.proto.
# Never fails CI: without apt (or root), it says so and the Go tests skip, saying why.
set -uo pipefail
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
