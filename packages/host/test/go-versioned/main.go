// A go-plugin plugin that offers app protocol versions at once (go-plugin's VersionedPlugins):
// version 1 serves x's greeter service, version 2 go-plugin's examples/grpc KV service, version 3
// a counter with a server-streaming rpc (countpb/count.proto). go-plugin
// picks the highest version the host offers in PLUGIN_PROTOCOL_VERSIONS and names it in its
// handshake line. Built by go-versioned-fixtures.ts with build.sh, for go-versions.test.ts.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/examples/grpc/shared"
	"google.golang.org/grpc"

	"x-plugin-kit/go-greeter/greeterpb"
	"x-plugin-kit/go-versioned/countpb"
)

type greeterServer struct{}

func (greeterServer) Greet(_ context.Context, req *greeterpb.GreetRequest) (*greeterpb.GreetResponse, error) {
	return &greeterpb.GreetResponse{Greeting: "Hello, " + req.Name + " (protocol 1)"}, nil
}

func (greeterServer) Lang(context.Context, *greeterpb.Empty) (*greeterpb.LangResponse, error) {
	return &greeterpb.LangResponse{Lang: "English"}, nil
}

type greeterPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (greeterPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	greeterpb.RegisterGreeterServer(s, greeterServer{})
	return nil
}

func (greeterPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return greeterpb.NewGreeterClient(c), nil
}

// memoryKV is shared.KV in memory, so that reattached and restarted instances start empty.
type memoryKV struct {
	mu     sync.Mutex
	values map[string][]byte
}

func (m *memoryKV) Put(key string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values[key] = append([]byte(nil), value...)
	return nil
}

func (m *memoryKV) Get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.values[key]
	if !ok {
		return nil, fmt.Errorf("no key %q (pid %d)", key, os.Getpid())
	}
	return v, nil
}

type counterServer struct{}

// Count streams `times` ticks from `from` on, each with the request's tag; it stops when the host cancels.
func (counterServer) Count(req *countpb.CountRequest, stream countpb.Counter_CountServer) error {
	for i := int32(0); i < req.Times; i++ {
		if err := stream.Send(&countpb.Tick{N: req.From + int64(i), Tag: req.Tag}); err != nil {
			return err
		}
	}
	if req.Times < 0 {
		return fmt.Errorf("times must not be negative, got %d", req.Times)
	}
	return nil
}

func (counterServer) Last(_ context.Context, req *countpb.CountRequest) (*countpb.Tick, error) {
	return &countpb.Tick{N: req.From + int64(req.Times) - 1, Tag: req.Tag}, nil
}

type counterPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (counterPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	countpb.RegisterCounterServer(s, counterServer{})
	return nil
}

func (counterPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return countpb.NewCounterClient(c), nil
}

func main() {
	plugin.Serve(&plugin.ServeConfig{
		// No ProtocolVersion: VersionedPlugins names them.
		HandshakeConfig: plugin.HandshakeConfig{MagicCookieKey: "BASIC_PLUGIN", MagicCookieValue: "hello"},
		VersionedPlugins: map[int]plugin.PluginSet{
			1: {"greeter": &greeterPlugin{}},
			2: {"kv": &shared.KVGRPCPlugin{Impl: &memoryKV{values: map[string][]byte{}}}},
			3: {"counter": &counterPlugin{}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
	})
}
