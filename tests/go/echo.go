// echo.go - what build/demo does, written in Go and run on Go 1.19's own
// runtime: the reference the syscall-trace conformance test compares our
// netpoller with, and the Go server the echo benchmark measures against.
//
//	echo                 the demo: a listener, 4 clients echoing 3 messages
//	                     each, one read whose 50 ms deadline expires
//	echo -serve ADDR     an echo server, a goroutine per connection
//
// NETPOLL_EXECTRACE=FILE writes Go's execution trace of the demo to FILE
// (runtime/trace), as the same variable makes build/demo write ours.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 512)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if _, err := c.Write(buf[:n]); err != nil {
			return
		}
	}
}

// serve backs off on a temporary error (a full descriptor table) as
// net/http's Server.Serve does, and as our net::Serve does.
func serve(ln net.Listener) {
	var tempDelay time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Temporary() {
				if tempDelay == 0 {
					tempDelay = 5 * time.Millisecond
				} else {
					tempDelay *= 2
				}
				if tempDelay > time.Second {
					tempDelay = time.Second
				}
				time.Sleep(tempDelay)
				continue
			}
			return
		}
		tempDelay = 0
		go echo(c)
	}
}

func main() {
	addr := flag.String("serve", "", "run only an echo server on this address")
	flag.Parse()
	if *addr != "" {
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(ln.Addr().String())
		serve(ln)
		return
	}

	if path := os.Getenv("NETPOLL_EXECTRACE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "NETPOLL_EXECTRACE:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer trace.Stop()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go serve(ln)
	var wg sync.WaitGroup
	ok := true
	var mu sync.Mutex
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				mu.Lock()
				ok = false
				mu.Unlock()
				return
			}
			defer c.Close()
			for k := 0; k < 3; k++ {
				msg := fmt.Sprintf("hello %d from client %d", k, i)
				c.Write([]byte(msg))
				got := make([]byte, len(msg))
				n := 0
				for n < len(msg) {
					m, err := c.Read(got[n:])
					if err != nil {
						break
					}
					n += m
				}
				if string(got[:n]) != msg {
					mu.Lock()
					ok = false
					mu.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()

	// The deadline read.  Give the idle Ms a moment to block in netpoll, so
	// that arming the timer has a poller to break out (wakeNetPoller).
	c, err := net.Dial("tcp", ln.Addr().String())
	if err == nil {
		time.Sleep(20 * time.Millisecond)
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		_, err = c.Read(make([]byte, 16))
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			ok = false
		}
		c.Close()
	}
	ln.Close()
	fmt.Println("go echo: every echo matched and the deadline expired:", ok)
	if !ok {
		trace.Stop()
		os.Exit(1)
	}
}
