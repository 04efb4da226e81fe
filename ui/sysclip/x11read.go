//go:build linux && cgo

package sysclip

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
int bd_clip_read(const char *target_name, unsigned char **out, unsigned long *out_len, long timeout_ms, unsigned long cap);
*/
import "C"

import (
	"errors"
	"strings"
	"time"
	"unsafe"
)

// The owner of the clipboard has this long to answer; a frozen or
// misbehaving one must not freeze a paste.
const readTimeout = 3 * time.Second

// maxRead caps what is read from the clipboard: the service takes 15 MB,
// and a pasted picture is rarely bigger than a screen's worth of PNG.
const maxRead = 64 << 20

var errNotOffered = errors.New("the clipboard does not offer that type")

// readTarget asks the clipboard's owner for its data as target, through
// the X selection (the owner may be any program, including this one).
func readTarget(target string) ([]byte, error) {
	name := C.CString(target)
	defer C.free(unsafe.Pointer(name))
	var out *C.uchar
	var n C.ulong
	rc := C.bd_clip_read(name, &out, &n, C.long(readTimeout/time.Millisecond), C.ulong(maxRead))
	if out != nil {
		defer C.free(unsafe.Pointer(out))
	}
	switch rc {
	case 0:
		return C.GoBytes(unsafe.Pointer(out), C.int(n)), nil
	case 1:
		return nil, errNotOffered
	case 2:
		return nil, errors.New("no X display")
	}
	return nil, errors.New("the clipboard's owner did not answer in time, or sent too much")
}

// targets lists the types the clipboard offers now.
func targets() []string {
	data, err := readTarget("TARGETS")
	if err != nil {
		return nil
	}
	return strings.Fields(string(data))
}
