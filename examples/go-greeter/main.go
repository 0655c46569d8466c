// Command go-greeter is the Go tutorial's English greeter, written as a hashicorp/go-plugin gRPC
// plugin: the same binary can be loaded by a Go host through go-plugin, or by a Node host through
// @x/host (manifest "protocol": "go-plugin"). Run by hand, without the magic cookie, it says it is a
// plugin and exits 1.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"x-plugin-kit/go-greeter/greeterpb"
)

// Handshake must match the host's. The cookie is @x/contract's MAGIC_COOKIE_KEY/VALUE, which
// @x/host sends by default; a plugin with another cookie names it in its manifest
// (xPlugin.handshake), so that plugins written for an existing Go host load unchanged.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "X_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "7f3c9e52-x-plugin-kit-handshake",
}

// logger writes hclog JSON lines to the process's real stderr, which go-plugin hosts (and
// @x/host) parse and forward with their level. Plain os.Stdout/os.Stderr writes after Serve go to
// pipes that go-plugin 1.0.1 never reads, so log through this.
var logger = hclog.New(&hclog.LoggerOptions{
	Name:       "go-greeter",
	Level:      hclog.Debug,
	Output:     os.Stderr,
	JSONFormat: true,
})

type greeterServer struct {
	// delay slows every Greet down, so that timeouts and crashes mid-call can be shown and tested.
	delay time.Duration
}

func (s *greeterServer) Greet(ctx context.Context, req *greeterpb.GreetRequest) (*greeterpb.GreetResponse, error) {
	logger.Info("greeting", "name", req.Name)
	// Plain stdout after Serve: go-plugin >= 1.3 streams it to the host over GRPCStdio, and the
	// write blocks once its pipe is full if the host does not read that stream.
	if n, err := strconv.Atoi(os.Getenv("GO_GREETER_STDOUT_BYTES")); err == nil && n > 0 {
		line := strings.Repeat("x", 1023) + "\n"
		for written := 0; written < n; written += len(line) {
			fmt.Fprint(os.Stdout, line)
		}
		fmt.Fprintln(os.Stdout, "go-greeter wrote", n, "bytes")
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			// As a gRPC status, not a bare ctx.Err() (which would reach the host as UNKNOWN).
			return nil, status.FromContextError(ctx.Err()).Err()
		}
	}
	return &greeterpb.GreetResponse{Greeting: "Hello, " + req.Name + "! Nice to meet you."}, nil
}

func (s *greeterServer) Lang(ctx context.Context, _ *greeterpb.Empty) (*greeterpb.LangResponse, error) {
	return &greeterpb.LangResponse{Lang: "English"}, nil
}

// GreeterPlugin serves the greeter over gRPC only: net/rpc is not spoken by @x/host.
type GreeterPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl greeterpb.GreeterServer
}

func (p *GreeterPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	greeterpb.RegisterGreeterServer(s, p.Impl)
	return nil
}

// GRPCClient lets a Go host built on go-plugin load this same binary.
func (p *GreeterPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return greeterpb.NewGreeterClient(c), nil
}

func main() {
	impl := &greeterServer{}
	if d, err := time.ParseDuration(os.Getenv("GO_GREETER_DELAY")); err == nil {
		impl.delay = d
	}
	logger.Debug("go-greeter starting", "pid", os.Getpid())
	// The names (not the values) of the variables it was given, so that a host can check what
	// reached its plugin: @x/host passes only its env option and the handshake's own variables.
	if os.Getenv("GO_GREETER_LOG_ENV") != "" {
		names := make([]string, 0)
		for _, kv := range os.Environ() {
			names = append(names, strings.SplitN(kv, "=", 2)[0])
		}
		logger.Debug("go-greeter environment", "names", strings.Join(names, ","))
	}
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         map[string]plugin.Plugin{"greeter": &GreeterPlugin{Impl: impl}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
