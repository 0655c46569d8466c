#!/bin/sh
# Builds bin/go-kv (or $1) offline from hashicorp/go-plugin's examples/grpc (plugin-go-grpc, shared,
# proto), unchanged but for proto/kv.pb.go, regenerated with Debian's protoc and protoc-gen-go 1.3.5:
#   protoc -I proto --go_out=plugins=grpc:proto proto/kv.proto
# GOPATH mode against Debian's Go packages (/usr/share/gocode), as examples/go-greeter. The example
# imports itself as github.com/hashicorp/go-plugin/examples/grpc/..., so it is laid out under a copy
# of Debian's go-plugin in a scratch GOPATH (a GOPATH folder of that path would hide Debian's).
# Without Go it says so and exits 0, so `pnpm build` still works.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/bin/go-kv"}
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
debian=/usr/share/gocode/src/github.com/hashicorp/go-plugin
if ! command -v go >/dev/null 2>&1 || [ ! -d "$debian" ]; then
  echo "go-kv: skipped, Go or go-plugin is not installed (run .ci/install-go.sh)" >&2
  exit 0
fi
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath" 2>/dev/null; rm -rf "$gopath"' EXIT
plugin="$gopath/src/github.com/hashicorp/go-plugin"
mkdir -p "$plugin" "$(dirname "$out")"
cp -R "$debian/." "$plugin/"
example="$plugin/examples/grpc"
mkdir -p "$example/plugin-go-grpc" "$example/shared" "$example/proto"
cp "$here/main.go" "$example/plugin-go-grpc/"
cp "$here/shared/"*.go "$example/shared/"
cp "$here/proto/kv.pb.go" "$example/proto/"
cd "$example/plugin-go-grpc"
# GOFLAGS cleared so that a user's -mod=... cannot turn module mode back on.
GO111MODULE=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" go build -o "$out" .
