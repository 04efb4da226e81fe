//go:build linux && cgo

#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>

// wait_event waits for an event of the given type on window w, up to
// timeout_ms in all; 1 when one came.
static int wait_event(Display *d, Window w, int type, XEvent *ev, long timeout_ms) {
	struct timeval end, now;
	gettimeofday(&end, NULL);
	end.tv_sec += timeout_ms / 1000;
	end.tv_usec += (timeout_ms % 1000) * 1000;
	if (end.tv_usec >= 1000000) { end.tv_sec++; end.tv_usec -= 1000000; }
	for (;;) {
		while (XPending(d) > 0) {
			XNextEvent(d, ev);
			if (ev->type == type && ev->xany.window == w) return 1;
		}
		gettimeofday(&now, NULL);
		long left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_usec - now.tv_usec) / 1000;
		if (left <= 0) return 0;
		int fd = ConnectionNumber(d);
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(fd, &fds);
		struct timeval tv = { left / 1000, (left % 1000) * 1000 };
		select(fd + 1, &fds, NULL, NULL, &tv);
	}
}

// take_property reads the whole property into *buf (grown) and deletes it,
// which tells an INCR owner to send the next piece. It returns the atom
// type (None on failure), with *got the property's size in bytes; *fits is
// 0 when that did not fit under cap.
static Atom take_property(Display *d, Window w, Atom prop, unsigned char **buf, unsigned long *len, unsigned long cap, unsigned long *got, int *fits) {
	Atom type = None;
	int format = 0;
	unsigned long n = 0, after = 0;
	unsigned char *data = NULL;
	*got = 0;
	*fits = 1;
	if (XGetWindowProperty(d, w, prop, 0, 0x1fffffff, True, AnyPropertyType, &type, &format, &n, &after, &data) != Success) {
		return None;
	}
	unsigned long bytes = n * (format == 32 ? sizeof(long) : (unsigned long)format / 8);
	*got = bytes;
	if (bytes > 0) {
		unsigned char *grown = NULL;
		if (*len + bytes <= cap) grown = realloc(*buf, *len + bytes);
		if (grown != NULL) {
			memcpy(grown + *len, data, bytes);
			*buf = grown;
			*len += bytes;
		} else {
			*fits = 0;
		}
	}
	if (data) XFree(data);
	return type;
}

// bd_clip_read asks the CLIPBOARD owner for target and returns its data
// (malloc'd, *out_len bytes). Returns 0 on success, 1 when the target is
// not offered, 2 when X is unreachable, 3 on a timeout or a too large answer.
int bd_clip_read(const char *target_name, unsigned char **out, unsigned long *out_len, long timeout_ms, unsigned long cap) {
	*out = NULL;
	*out_len = 0;
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) return 2;
	Window w = XCreateSimpleWindow(d, DefaultRootWindow(d), 0, 0, 1, 1, 0, 0, 0);
	XSelectInput(d, w, PropertyChangeMask);
	Atom sel = XInternAtom(d, "CLIPBOARD", False);
	Atom target = XInternAtom(d, target_name, False);
	Atom prop = XInternAtom(d, "BACKDROP_CLIP", False);
	Atom incr = XInternAtom(d, "INCR", False);
	int rc = 0;
	if (XGetSelectionOwner(d, sel) == None) { rc = 1; goto done; }
	XConvertSelection(d, sel, target, prop, w, CurrentTime);
	XEvent ev;
	if (!wait_event(d, w, SelectionNotify, &ev, timeout_ms)) { rc = 3; goto done; }
	if (ev.xselection.property == None) { rc = 1; goto done; }
	unsigned long got;
	int fits;
	Atom type = take_property(d, w, prop, out, out_len, cap, &got, &fits);
	if (type == None || !fits) { rc = 3; goto done; }
	if (type == incr) {
		// The owner sends the data in pieces; an empty piece ends it.
		free(*out);
		*out = NULL;
		*out_len = 0;
		for (;;) {
			XEvent pev;
			do {
				if (!wait_event(d, w, PropertyNotify, &pev, timeout_ms)) { rc = 3; goto done; }
			} while (pev.xproperty.atom != prop || pev.xproperty.state != PropertyNewValue);
			if (take_property(d, w, prop, out, out_len, cap, &got, &fits) == None || !fits) { rc = 3; goto done; }
			if (got == 0) break;
		}
	}
	if (strcmp(target_name, "TARGETS") == 0 && rc == 0) {
		// An atom list: give it back as names, one a line.
		unsigned long count = *out_len / sizeof(long);
		long *atoms = (long *)*out;
		unsigned char *names = NULL;
		unsigned long nlen = 0;
		for (unsigned long i = 0; i < count; i++) {
			char *name = XGetAtomName(d, (Atom)atoms[i]);
			if (name == NULL) continue;
			unsigned long l = strlen(name);
			unsigned char *grown = realloc(names, nlen + l + 1);
			if (grown != NULL) {
				memcpy(grown + nlen, name, l);
				grown[nlen + l] = '\n';
				names = grown;
				nlen += l + 1;
			}
			XFree(name);
		}
		free(*out);
		*out = names;
		*out_len = nlen;
	}
done:
	if (rc != 0 && *out != NULL) { free(*out); *out = NULL; *out_len = 0; }
	XDestroyWindow(d, w);
	XCloseDisplay(d);
	return rc;
}
