package engine

import (
	"math"
	"testing"
)

func TestParseScene(t *testing.T) {
	lab := func(hex uint32) oklab { return srgbHexToOklab(hex) }
	cases := []struct {
		prompt string
		check  func(t *testing.T, s Scene)
	}{
		{"pastel pink", func(t *testing.T, s Scene) {
			c := lab(s.Wall)
			if s.Kind != KindStudio || s.Fallback {
				t.Errorf("kind %v fallback %v, want studio", s.Kind, s.Fallback)
			}
			if c.L < 0.85 || c.chroma() < 0.02 || c.chroma() > 0.09 {
				t.Errorf("pastel pink %06x: L %.2f C %.3f, want light and soft", s.Wall, c.L, c.chroma())
			}
			if h := c.hue(); h > 40 && h < 320 {
				t.Errorf("pastel pink %06x has hue %.0f°, not pink", s.Wall, h)
			}
		}},
		{"#1e90ff", func(t *testing.T, s Scene) {
			if s.Wall != 0x1e90ff || len(s.Colors) != 1 || s.Colors[0] != 0x1e90ff {
				t.Errorf("wall %06x colours %x, want exactly #1e90ff", s.Wall, s.Colors)
			}
		}},
		{"white marble tabletop, light from the left", func(t *testing.T, s Scene) {
			if s.Kind != KindTabletop || s.Surface != SurfaceMarble || s.Light != LightLeft {
				t.Errorf("got kind %v surface %v light %v", s.Kind, s.Surface, s.Light)
			}
			if lab(s.Floor).L < 0.9 {
				t.Errorf("white marble floor %06x is not white", s.Floor)
			}
			if s.Horizon <= 0 || s.Base <= s.Horizon {
				t.Errorf("tabletop needs a floor line above the base: horizon %.2f base %.2f", s.Horizon, s.Base)
			}
		}},
		{"sunset beach", func(t *testing.T, s Scene) {
			if s.Kind != KindOutdoor || !s.Has(MoodSunset) || !s.Has(MoodBeach) {
				t.Errorf("got kind %v moods %b", s.Kind, s.Moods)
			}
			if r, b := s.Wall>>16, s.Wall&255; r <= b+40 {
				t.Errorf("sunset palette %06x is not warm", s.Wall)
			}
		}},
		{"asdfgh", func(t *testing.T, s Scene) {
			if !s.Fallback || s.Kind != KindStudio || s.Wall != warmGrey || s.Vignette < 0.4 {
				t.Errorf("fallback %v kind %v wall %06x vignette %.2f, want warm grey studio with vignette",
					s.Fallback, s.Kind, s.Wall, s.Vignette)
			}
		}},
		{"gradient from teal to navy", func(t *testing.T, s Scene) {
			if s.Kind != KindGradient || s.Wall != namedColors["teal"] || s.Accent != namedColors["navy"] {
				t.Errorf("kind %v %06x→%06x, want teal→navy gradient", s.Kind, s.Wall, s.Accent)
			}
		}},
		{"light blue background", func(t *testing.T, s Scene) {
			if s.Light != LightNone || s.Kind != KindStudio || s.Wall != namedColors["light blue"] {
				t.Errorf("light %v kind %v wall %06x: 'light' here is a colour word", s.Light, s.Kind, s.Wall)
			}
		}},
		{"sunlight from the right, oak table", func(t *testing.T, s Scene) {
			if !s.Sunlight || s.Light != LightRight || s.Surface != SurfaceWood {
				t.Errorf("sun %v light %v surface %v", s.Sunlight, s.Light, s.Surface)
			}
		}},
		{"top light, grey studio", func(t *testing.T, s Scene) {
			if s.Light != LightTop || s.Kind != KindStudio {
				t.Errorf("light %v kind %v", s.Light, s.Kind)
			}
		}},
		{"soft shadow to the right", func(t *testing.T, s Scene) {
			if s.Light != LightLeft {
				t.Errorf("a shadow to the right means light from the left, got %v", s.Light)
			}
		}},
		{"dark wood", func(t *testing.T, s Scene) {
			if s.Surface != SurfaceWood || lab(s.Floor).L > 0.6 {
				t.Errorf("surface %v floor %06x, want dark wood", s.Surface, s.Floor)
			}
		}},
		{"forest", func(t *testing.T, s Scene) {
			if s.Kind != KindOutdoor || !s.Has(MoodForest) {
				t.Errorf("kind %v moods %b", s.Kind, s.Moods)
			}
		}},
		{"concrete, linen, paper", func(t *testing.T, s Scene) {
			if s.Surface != SurfaceConcrete {
				t.Errorf("first material wins: got %v", s.Surface)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.prompt, func(t *testing.T) { c.check(t, ParseScene(c.prompt, 1)) })
	}
}

func TestParseSceneVariants(t *testing.T) {
	a, b := ParseScene("pastel pink", 1), ParseScene("pastel pink", 1)
	if a.Seed != b.Seed || a.GlowX != b.GlowX {
		t.Fatal("same request gave different scenes")
	}
	if a.HueShift != 0 {
		t.Errorf("variant 1 should keep the colours as named, hue shift %.1f", a.HueShift)
	}
	seen := map[[3]float64]bool{}
	for v := 1; v <= 6; v++ {
		s := ParseScene("pastel pink", v)
		k := [3]float64{s.HueShift, s.GlowX, s.GradientAngle}
		if seen[k] {
			t.Errorf("variant %d repeats another variant's look %v", v, k)
		}
		seen[k] = true
	}
	if s := ParseScene("x", 0); s.Variant != 1 {
		t.Errorf("variant 0 should be read as 1, got %d", s.Variant)
	}
}

func TestOklabRoundTrip(t *testing.T) {
	for _, hex := range []uint32{0x000000, 0xffffff, 0x1e90ff, 0xf2a7bd, 0x7b5236} {
		if got := oklabToHex(srgbHexToOklab(hex)); got != hex {
			t.Errorf("%06x → %06x", hex, got)
		}
	}
	if d := math.Abs(float64(cbrt32(27)) - 3); d > 1e-5 {
		t.Errorf("cbrt32(27) off by %g", d)
	}
}
