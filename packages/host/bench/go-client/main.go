// Command go-client is go-plugin's own Go host for the go-greeter example: the baseline that
// bench/go-plugin.bench.mjs times @x/host against, on the same binary. It starts the plugin with
// go-plugin's NewClient (gRPC, the example's handshake), then, for each number N read on stdin,
// makes N Greet calls one after another and writes each call's time in nanoseconds on stdout, so
// that the Node side can alternate short batches of Go calls with its own.
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"x-plugin-kit/go-client/greeterpb"
)

// The example's handshake (examples/go-greeter/main.go).
var handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "X_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "7f3c9e52-x-plugin-kit-handshake",
}

type greeterPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (greeterPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return fmt.Errorf("go-client only dispenses")
}

func (greeterPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return greeterpb.NewGreeterClient(c), nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-client <go-greeter binary>")
		os.Exit(2)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          map[string]plugin.Plugin{"greeter": greeterPlugin{}},
		Cmd:              exec.Command(os.Args[1]),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		// GO_CLIENT_AUTO_MTLS=1: go-plugin's AutoMTLS, to compare with @x/host's (on by default).
		AutoMTLS: os.Getenv("GO_CLIENT_AUTO_MTLS") != "",
		// The plugin logs each greeting; go-plugin parses those lines either way, as @x/host does.
		Logger: hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Error}),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		fail(err)
	}
	raw, err := rpc.Dispense("greeter")
	if err != nil {
		fail(err)
	}
	greeter := raw.(greeterpb.GreeterClient)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		n, err := strconv.Atoi(in.Text())
		if err != nil {
			fail(err)
		}
		for i := 0; i < n; i++ {
			start := time.Now()
			res, err := greeter.Greet(context.Background(), &greeterpb.GreetRequest{Name: "World"})
			took := time.Since(start)
			if err != nil {
				fail(err)
			}
			if res.Greeting != "Hello, World! Nice to meet you." {
				fail(fmt.Errorf("unexpected answer %q", res.Greeting))
			}
			fmt.Fprintln(out, took.Nanoseconds())
		}
		out.Flush()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "go-client:", err)
	os.Exit(1)
}
