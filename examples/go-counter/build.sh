#!/bin/sh
# Builds bin/go-counter (or $1) offline from hashicorp/go-plugin's examples/bidirectional
# (plugin-go-grpc, shared, proto, from go-plugin v1.4.10), unchanged but for proto/kv.pb.go,
# regenerated with Debian's protoc and protoc-gen-go 1.3.5:
#   protoc -I proto --go_out=plugins=grpc:proto proto/kv.proto
# GOPATH mode against Debian's Go packages (/usr/share/gocode), as examples/go-kv: the example
# imports itself as github.com/hashicorp/go-plugin/examples/bidirectional/..., so it is laid out
# under a copy of go-plugin in a scratch GOPATH: Debian's 1.0.1, or the tree GO_PLUGIN_SRC names
# (the tests also build it against a vendored 1.4.10). Without Go it says so and exits 0.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/bin/go-counter"}
case "$out" in /*) ;; *) out="$(pwd)/$out" ;; esac
debian=/usr/share/gocode/src/github.com/hashicorp/go-plugin
if ! command -v go >/dev/null 2>&1 || [ ! -d "$debian" ]; then
  echo "go-counter: skipped, Go or go-plugin is not installed (run .ci/install-go.sh)" >&2
  exit 0
fi
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath" 2>/dev/null; rm -rf "$gopath"' EXIT
plugin="$gopath/src/github.com/hashicorp/go-plugin"
mkdir -p "$plugin" "$(dirname "$out")"
cp -R "${GO_PLUGIN_SRC:-$debian}/." "$plugin/"
example="$plugin/examples/bidirectional"
mkdir -p "$example/plugin-go-grpc" "$example/shared" "$example/proto"
cp "$here/plugin-go-grpc/main.go" "$example/plugin-go-grpc/"
cp "$here/shared/"*.go "$example/shared/"
cp "$here/proto/kv.pb.go" "$example/proto/"
cd "$example/plugin-go-grpc"
# GOFLAGS cleared so that a user's -mod=... cannot turn module mode back on.
GO111MODULE=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" go build -o "$out" .
