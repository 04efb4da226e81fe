//go:build cgo && linux

package nativedialog

// #cgo pkg-config: gtk+-3.0
// #include <gtk/gtk.h>
// #include <stdlib.h>
// static GtkWidget* opendlg(char *title) {
// 	return gtk_file_chooser_dialog_new(title, NULL, GTK_FILE_CHOOSER_ACTION_OPEN, "Cancel", GTK_RESPONSE_CANCEL, "Open", GTK_RESPONSE_ACCEPT, NULL);
// }
import "C"

import (
	"unsafe"

	_ "github.com/sqweek/dialog" // initialises GTK (gtk_init_check) for the dialogs here too
)

// OpenImages asks for one or several images (GTK's chooser with multiple
// selection, which sqweek/dialog does not offer); nil when cancelled.
func OpenImages() (paths []string, err error) {
	if C.gtk_init_check(nil, nil) != C.TRUE {
		return nil, errNoGTK
	}
	title := C.CString("Open product shots")
	defer C.free(unsafe.Pointer(title))
	dlg := C.opendlg(title)
	chooser := (*C.GtkFileChooser)(unsafe.Pointer(dlg))
	C.gtk_file_chooser_set_select_multiple(chooser, C.TRUE)
	filter := C.gtk_file_filter_new()
	name := C.CString("Images")
	defer C.free(unsafe.Pointer(name))
	C.gtk_file_filter_set_name(filter, name)
	for _, ext := range []string{"png", "jpg", "jpeg", "webp", "bmp", "PNG", "JPG", "JPEG", "WEBP", "BMP"} {
		pattern := C.CString("*." + ext)
		C.gtk_file_filter_add_pattern(filter, pattern)
		C.free(unsafe.Pointer(pattern))
	}
	C.gtk_file_chooser_add_filter(chooser, filter)
	if C.gtk_dialog_run((*C.GtkDialog)(unsafe.Pointer(dlg))) == C.GTK_RESPONSE_ACCEPT {
		list := C.gtk_file_chooser_get_filenames(chooser)
		for l := list; l != nil; l = l.next {
			paths = append(paths, C.GoString((*C.char)(l.data)))
			C.g_free(l.data)
		}
		C.g_slist_free(list)
	}
	C.gtk_widget_destroy(dlg)
	// Without a GTK main loop the dialog leaves the screen only once its
	// events are handled (as sqweek/dialog does).
	for C.gtk_events_pending() != 0 {
		C.gtk_main_iteration()
	}
	return paths, nil
}
