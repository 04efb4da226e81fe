package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"backdrop/api"
	"backdrop/internal/contract"
)

func TestBadTokenInBothShapes(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	shapes := []struct {
		name    string
		opts    []contract.Option
		http200 bool
	}{
		{"gateway", []contract.Option{contract.WithErrorShape(contract.ErrorShapeGateway)}, false},
		{"provider", []contract.Option{contract.WithErrorShape(contract.ErrorShapeProvider)}, false},
		{"provider-in-200", []contract.Option{contract.WithErrorShape(contract.ErrorShapeProvider), contract.WithErrorHTTP200(true)}, true},
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			srv := contract.New(append(s.opts, contract.WithToken("the-right-one"))...)
			hs := httptest.NewServer(srv)
			defer hs.Close()
			defer srv.Close()
			c := newClient(t, hs.URL)
			_, err := c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, nil)
			var e *api.Error
			if !errors.As(err, &e) || !api.IsAuth(err) {
				t.Fatalf("got %v, want an auth *Error", err)
			}
			if s.http200 && e.HTTPStatus != 200 {
				t.Fatalf("HTTP status %d", e.HTTPStatus)
			}
			if e.Message == "" || !strings.Contains(err.Error(), e.Message) {
				t.Fatalf("error %q does not carry the service's message %q", err, e.Message)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatal("the token is in the error text")
			}
		})
	}
}

func TestTokenEchoedByServiceIsRedacted(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"message":"invalid key ` + testToken + `","type":"auth","code":"invalid_api_key"}}`))
	}))
	defer hs.Close()
	_, err := newClient(t, hs.URL).Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, nil)
	if err == nil || strings.Contains(err.Error(), testToken) || !api.IsAuth(err) {
		t.Fatalf("got %v", err)
	}
}

func TestTokenNeverSentInClearToARemoteHost(t *testing.T) {
	shot := writePNG(t, t.TempDir(), "a.png", 16, 16)
	called := false
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		called = true
		return nil, errors.New("must not be called")
	})}
	c, err := api.NewClient(api.WithBaseURL("http://api.example.com"), api.WithToken(testToken), api.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Generate(context.Background(), api.CreateRequest{ImageFile: shot, Prompt: "p"}, nil)
	if err == nil || !strings.Contains(err.Error(), "https") || called {
		t.Fatalf("got %v (called=%v)", err, called)
	}
}

func TestUnknownTaskIsNotFound(t *testing.T) {
	_, _, c := startServer(t)
	_, err := c.GetTask(context.Background(), "no-such-task")
	if !api.IsNotFound(err) {
		t.Fatalf("got %v", err)
	}
}

func TestAnswerThatIsNotJSON(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
	}))
	defer hs.Close()
	_, err := newClient(t, hs.URL).GetTask(context.Background(), "x")
	var e *api.Error
	if !errors.As(err, &e) || e.HTTPStatus != 502 || !strings.Contains(e.Message, "Bad Gateway") {
		t.Fatalf("got %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
