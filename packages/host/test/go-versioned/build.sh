#!/bin/sh
# Builds the two-version test plugin ($1) offline, in GOPATH mode, against Debian's Go packages, with
# go-plugin's examples/grpc (shared + proto) from examples/go-kv and greeterpb from examples/go-greeter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
examples=$(cd "$here/../../../../examples" && pwd)
out=$1
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath" 2>/dev/null; rm -rf "$gopath"' EXIT
plugin="$gopath/src/github.com/hashicorp/go-plugin"
mkdir -p "$plugin" "$(dirname "$out")"
cp -R /usr/share/gocode/src/github.com/hashicorp/go-plugin/. "$plugin/"
mkdir -p "$plugin/examples/grpc/shared" "$plugin/examples/grpc/proto" "$gopath/src/x-plugin-kit/go-greeter/greeterpb" "$gopath/src/x-plugin-kit/go-versioned"
cp "$examples/go-kv/shared/"*.go "$plugin/examples/grpc/shared/"
cp "$examples/go-kv/proto/kv.pb.go" "$plugin/examples/grpc/proto/"
cp "$examples/go-greeter/greeterpb/greeter.pb.go" "$gopath/src/x-plugin-kit/go-greeter/greeterpb/"
cp "$here/main.go" "$gopath/src/x-plugin-kit/go-versioned/"
mkdir -p "$gopath/src/x-plugin-kit/go-versioned/countpb"
cp "$here/countpb/count.pb.go" "$gopath/src/x-plugin-kit/go-versioned/countpb/"
cd "$gopath/src/x-plugin-kit/go-versioned"
GO111MODULE=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" go build -o "$out" .
