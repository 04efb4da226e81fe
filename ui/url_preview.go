package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"backdrop/api"
	"backdrop/internal/imagefile"
)

// The preview of an image URL is fetched by the window for display only
// (the service still downloads the URL itself), within these bounds.
const (
	previewDelay   = 600 * time.Millisecond // typing pauses this long first
	previewTimeout = 10 * time.Second
)

// previewURL shows what a typed image URL points at, and warns when the
// service cannot reach it (this computer, a private network).
func (w *Window) previewURL(raw string) {
	if w.previewCancel != nil {
		w.previewCancel()
		w.previewCancel = nil
	}
	if raw == "" {
		if w.shot == nil {
			w.source.showURL(nil, "", false)
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		w.source.showURL(nil, "Give an http(s) address of an image.", true)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), previewDelay+previewTimeout)
	w.previewCancel = cancel
	hc := w.previewHTTP
	go func() {
		select {
		case <-time.After(previewDelay):
		case <-ctx.Done():
			return
		}
		warning := unreachableForService(ctx, u.Hostname())
		img, info, err := fetchPreview(ctx, hc, raw)
		if ctx.Err() == context.Canceled {
			return // a newer URL was typed
		}
		w.ui(func() {
			if w.sourceURL() != raw {
				return
			}
			note, problem := info, false
			if err != nil {
				note, problem = "No preview: "+err.Error(), true
			}
			if warning != "" {
				note, problem = warning+" "+note, true
			}
			w.source.showURL(img, note, problem)
			w.notify("url-preview")
		})
	}()
}

// unreachableForService names why the service, out on the internet, could
// not download from host; "" when it can.
func unreachableForService(ctx context.Context, host string) string {
	ips := []net.IP{net.ParseIP(host)}
	if ips[0] == nil {
		if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
			return "The service cannot download this: localhost is this computer."
		}
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return ""
		}
		ips = ips[:0]
		for _, a := range addrs {
			ips = append(ips, a.IP)
		}
	}
	for _, ip := range ips {
		switch {
		case ip.IsLoopback():
			return "The service cannot download this: " + host + " is this computer."
		case ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified():
			return "The service cannot download this: " + host + " is on a private network."
		}
	}
	return ""
}

// fetchPreview downloads an image URL within the service's own limits
// (15 MB, the pixel cap) and returns a display copy and a line about it.
func fetchPreview(ctx context.Context, hc *http.Client, raw string) (image.Image, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, "", errors.New("the address did not answer in time")
		}
		return nil, "", errors.New("the address could not be reached")
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("the address answered %s", resp.Status)
	}
	if resp.ContentLength > api.MaxImageBytes {
		return nil, "", fmt.Errorf("the image is %s, over the service's 15 MB", imagefile.HumanSize(resp.ContentLength))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, api.MaxImageBytes+1))
	if err != nil {
		return nil, "", errors.New("the download broke off")
	}
	if len(data) > api.MaxImageBytes {
		return nil, "", errors.New("the image is over the service's 15 MB")
	}
	shot, err := imagefile.Decode(data)
	if err != nil {
		return nil, "", err
	}
	return shot.Preview, fmt.Sprintf("%d × %d px · %s", shot.Width, shot.Height, imagefile.HumanSize(shot.Bytes)), nil
}
