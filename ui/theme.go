package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"backdrop/internal/settings"
)

// variantTheme is the default theme held to light or dark, whatever the
// system says.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// applyTheme sets the theme choice of the settings.
func applyTheme(a fyne.App, choice string) {
	switch choice {
	case settings.ThemeLight:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	case settings.ThemeDark:
		a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	default:
		a.Settings().SetTheme(theme.DefaultTheme())
	}
}

// secondaryTheme draws low-importance text (Fyne's "disabled" grey, too
// faint to read on the dark theme) in the placeholder colour: still
// quieter than the text around it, but legible. It asks the app's theme
// each time, so a theme change in Settings follows.
type secondaryTheme struct{}

func (secondaryTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (t secondaryTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		n = theme.ColorNamePlaceHolder
	}
	return t.current().Color(n, v)
}
func (t secondaryTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.current().Font(s) }
func (t secondaryTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.current().Icon(n) }
func (t secondaryTheme) Size(n fyne.ThemeSizeName) float32       { return t.current().Size(n) }

// secondary shows o's low-importance text legibly (see secondaryTheme).
func secondary(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, secondaryTheme{})
}
