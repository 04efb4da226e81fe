package offline

import (
	"context"
	"net/http"
	"testing"

	"go.uber.org/goleak"

	"backdrop/api"
	"backdrop/internal/contract"
	"backdrop/internal/job"
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
	res, err := job.Run(context.Background(), c, api.CreateRequest{ImageFile: shot, Prompt: "white", BatchSize: 2, Sync: true}, t.TempDir(), nil)
	if err != nil || len(res.Images) != 2 {
		t.Fatalf("%v, %d images", err, len(res.Images))
	}
	resp, err := hc.Get(res.Images[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("a downloaded image is still served: %d", resp.StatusCode)
	}
}
