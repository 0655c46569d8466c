#!/bin/sh
# Builds go-client into $1 offline, in GOPATH mode, the way examples/go-greeter/build.sh builds the
# plugin (Debian's Go packages under /usr/share/gocode, no module proxy, no go.mod), with the
# example's generated greeterpb package.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
gopath=$(mktemp -d)
trap 'chmod -R u+w "$gopath" 2>/dev/null; rm -rf "$gopath"' EXIT
src="$gopath/src/x-plugin-kit/go-client"
mkdir -p "$src/greeterpb"
cp "$here/main.go" "$src/"
cp "$here/../../../../examples/go-greeter/greeterpb/greeter.pb.go" "$src/greeterpb/"
cd "$src"
GO111MODULE=off GOFLAGS= GOPATH="$gopath:/usr/share/gocode" go build -o "$out" .
