package offline

import (
	"context"
	"io"
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/testshot"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The in-app server gives a job its images once, then keeps none of them.
func TestResultsAreKeptOnlyUntilDownloaded(t *testing.T) {
	s, err := Start(contract.PlainPainter{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	c, err := api.NewClient(api.WithBaseURL(s.URL), api.WithToken(s.Token), api.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	shot := testshot.Write(t, t.TempDir(), "cup.png", 24, 16)
	ctx := context.Background()
	task, err := c.Generate(ctx, api.CreateRequest{ImageFile: shot, Prompt: "white", BatchSize: 2, Sync: true}, nil)
	if err != nil || len(task.Images) != 2 {
		t.Fatalf("%v, %d images", err, len(task.Images))
	}
	for _, ref := range task.Images {
		if _, err := c.Download(ctx, ref, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := hc.Get(task.Images[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("a downloaded image is still served: %d", resp.StatusCode)
	}
}
