package contract_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"backdrop/internal/contract"
)

// A server that runs for long keeps nothing of its requests unless a test
// asks, and never the Authorization header.
func TestRecordsAreOffByDefault(t *testing.T) {
	s := contract.New(contract.WithToken(token))
	ts := httptest.NewServer(s)
	defer func() { s.Close(); ts.Close() }()
	create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1", "sync", "1"))
	defer func() {
		if recover() == nil {
			t.Error("Creates() answered without WithRecords")
		}
	}()
	s.Creates()
}

func TestResultsAreDroppedOnceServed(t *testing.T) {
	_, ts := start(t, contract.WithToken(token), contract.WithDropServed(true), contract.WithShape(contract.ShapeList))
	d := create(t, ts, pngForm(20, 10, "prompt", "p", "batch_size", "2", "sync", "1")).task(t)
	base := ts.URL + "/results/" + d.TaskID + "/"

	// A ranged or HEAD request is not a whole download.
	req, _ := http.NewRequest(http.MethodGet, base+"1.png", nil)
	req.Header.Set("Range", "bytes=0-9")
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent {
		t.Fatalf("range: %d", resp.StatusCode)
	}
	for _, n := range []string{"1", "1", "2"} { // 1 twice: the second is still served, 2 is not yet
		if resp, _ := fetch(t, ts, base+n+".png"); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s.png: %d", n, resp.StatusCode)
		}
	}
	for _, n := range []string{"1", "2"} {
		if resp, _ := fetch(t, ts, base+n+".png"); resp.StatusCode != http.StatusGone {
			t.Errorf("%s.png after every image went out: %d", n, resp.StatusCode)
		}
	}
}

// An idle server does not hold images past their time: no request is
// needed for them to go.
func TestResultsExpireWithoutRequests(t *testing.T) {
	s, ts := start(t, contract.WithToken(token), contract.WithResultTTL(30*time.Millisecond))
	create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1", "sync", "1"))
	waitFor(t, "the images to expire", func() bool { return s.Tasks()[0].Expired })
}
