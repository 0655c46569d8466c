#!/bin/sh
# Builds bin/go-greeter (or $1) offline, in GOPATH mode, against the Go packages Debian installs
# under /usr/share/gocode (golang-github-hashicorp-go-plugin-dev, golang-google-grpc-dev): there is
# no module proxy here, so no go.mod. Without Go it says so and exits 0, so `pnpm build` still works.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/bin/go-greeter"}
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/hashicorp/go-plugin ]; then
  echo "go-greeter: skipped, Go or go-plugin is not installed (run .ci/install-go.sh)" >&2
  exit 0
fi
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath" 2>/dev/null; rm -rf "$gopath"' EXIT
src="$gopath/src/x-plugin-kit/go-greeter"
mkdir -p "$src/greeterpb" "$(dirname "$out")"
cp "$here/main.go" "$src/"
cp "$here/greeterpb/greeter.pb.go" "$src/greeterpb/"
# GO_PLUGIN_SRC: another hashicorp/go-plugin source tree to build against (the tests use a vendored
# 1.4.x, which has GRPCStdio and AutoMTLS), found ahead of Debian's 1.0.1.
if [ -n "${GO_PLUGIN_SRC:-}" ]; then
  mkdir -p "$gopath/src/github.com/hashicorp"
  cp -R "$GO_PLUGIN_SRC" "$gopath/src/github.com/hashicorp/go-plugin"
fi
cd "$src"
# GOFLAGS cleared so that a user's -mod=... cannot turn module mode back on.
GO111MODULE=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" go build -o "$out" .
