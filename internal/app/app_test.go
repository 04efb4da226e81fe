package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/offline"
	"backdrop/internal/run"
	"backdrop/internal/settings"
	"backdrop/internal/testshot"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ownTransport gives the client a transport closed at the end (goleak).
func ownTransport(t *testing.T) api.Option {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return api.WithHTTPClient(&http.Client{Transport: tr})
}

// Without a token the offline engine runs in this process, and a queue on
// it saves every variant through the same client path as the service.
func TestOfflineBackendRunsAQueue(t *testing.T) {
	b, err := Connect(Config{CacheDir: t.TempDir(), Painter: contract.PlainPainter{}, ClientOptions: []api.Option{ownTransport(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.Offline() || b.Label() != offline.Label || !strings.HasPrefix(b.Endpoint(), "http://127.0.0.1:") {
		t.Fatalf("offline backend: %q %q", b.Label(), b.Endpoint())
	}
	q, err := b.NewQueue(run.Config{Rate: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	out := t.TempDir()
	shot := testshot.Write(t, t.TempDir(), "mug.png", 40, 30)
	id, err := q.Add(run.Spec{ImageFile: shot, Prompt: "white marble", Variants: 3, Options: run.Options{OutDir: out}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	s, _ := q.Item(id)
	if s.State != run.Done || len(s.Variants) != 3 || QueueExitCode(q.Stats()) != ExitOK {
		t.Fatalf("%s, %d variants", s.Label(), len(s.Variants))
	}
}

func TestServiceBackend(t *testing.T) {
	b, err := Connect(Config{Token: "sk-x", Endpoint: "https://api.example.test/v1"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Offline() || b.Label() != "Service: api.example.test" || b.Endpoint() != "https://api.example.test/v1" {
		t.Fatalf("%q %q", b.Label(), b.Endpoint())
	}
	b, err = NewConnector(t.TempDir(), nil)(settings.Settings{Token: "sk-x"})
	if err != nil || b.Endpoint() != api.DefaultBaseURL || b.Label() != "Service: api.gpt.ge" {
		t.Fatalf("default endpoint: %v", err)
	}
	if _, err := Connect(Config{Token: "sk-x", Endpoint: "ftp://x"}); err == nil {
		t.Fatal("an ftp endpoint was accepted")
	}
}

func TestQueueExitCode(t *testing.T) {
	cases := []struct {
		st   run.Stats
		code int
	}{
		{run.Stats{Total: 3, Done: 2, Skipped: 1}, ExitOK},
		{run.Stats{}, ExitOK},
		{run.Stats{Total: 3, Done: 2, Failed: 1}, ExitFailure},
		{run.Stats{Total: 2, Done: 1, Cancelled: 1}, ExitFailure},
		{run.Stats{Total: 2, Done: 1, Waiting: 1}, ExitFailure},
	}
	for _, tc := range cases {
		if got := QueueExitCode(tc.st); got != tc.code {
			t.Errorf("%+v: %d, want %d", tc.st, got, tc.code)
		}
	}
}
