package contract_test

import (
	"net/http"
	"testing"
	"time"

	"backdrop/internal/contract"
)

func TestResultsNeedNoTokenAndExpire(t *testing.T) {
	const ttl = 150 * time.Millisecond
	s, ts := start(t, contract.WithToken(token), contract.WithResultTTL(ttl), contract.WithShape(contract.ShapeList))
	a := create(t, ts, pngForm(30, 20, "prompt", "p", "batch_size", "2", "sync", "1"))
	d := a.task(t)
	base := ts.URL + "/results/" + d.TaskID + "/"
	checkImages(t, images(t, ts, a, d), d, "p", 30, 20) // plain GETs, no token

	notFound := []string{base + "0.png", base + "3.png", base + "x.png", base + "1.jpg", ts.URL + "/results/nope/1.png"}
	for _, u := range notFound {
		if resp, _ := fetch(t, ts, u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}

	time.Sleep(ttl + 50*time.Millisecond)
	for _, n := range []string{"1", "2"} {
		if resp, _ := fetch(t, ts, base+n+".png"); resp.StatusCode != http.StatusGone {
			t.Errorf("expired %s.png: %d", n, resp.StatusCode)
		}
	}
	// The task itself is still known, with its sizes.
	d2 := get(t, ts, "Bearer "+token, d.TaskID).task(t)
	if d2.State != 1 || d2.ImageWidth != 30 {
		t.Errorf("task after expiry: %+v", d2)
	}
	if info := s.Tasks()[0]; !info.Expired || info.Width != 30 {
		t.Errorf("Tasks() after expiry: %+v", info)
	}
}

func TestResultHEAD(t *testing.T) {
	_, ts := start(t)
	d := create(t, ts, pngForm(8, 8, "prompt", "p", "batch_size", "1", "sync", "1")).task(t)
	resp, err := ts.Client().Head(ts.URL + "/results/" + d.TaskID + "/1.png")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %d %v", resp.StatusCode, resp.Header)
	}
}
