package engine

import (
	"strconv"
	"strings"
)

// Words a product prompt uses for materials, moods, light and layout.
var (
	surfaceWords = map[string]Surface{
		"marble": SurfaceMarble, "carrara": SurfaceMarble, "travertine": SurfaceMarble,
		"wood": SurfaceWood, "wooden": SurfaceWood, "oak": SurfaceWood, "walnut": SurfaceWood,
		"timber": SurfaceWood, "teak": SurfaceWood, "pine": SurfaceWood, "birch": SurfaceWood,
		"concrete": SurfaceConcrete, "cement": SurfaceConcrete, "plaster": SurfaceConcrete,
		"stone": SurfaceConcrete, "slate": SurfaceConcrete,
		"linen": SurfaceLinen, "fabric": SurfaceLinen, "cloth": SurfaceLinen, "cotton": SurfaceLinen,
		"canvas": SurfaceLinen, "textile": SurfaceLinen,
		"paper": SurfacePaper, "cardboard": SurfacePaper, "kraft": SurfacePaper,
	}
	tabletopWords = set("tabletop", "table", "countertop", "counter", "desk", "surface", "shelf", "podium", "plinth", "floor")
	moodWords     = map[string]Mood{
		"beach": MoodBeach, "seaside": MoodBeach, "sea": MoodBeach, "ocean": MoodBeach,
		"coast": MoodBeach, "shore": MoodBeach, "summer": MoodBeach, "tropical": MoodBeach,
		"sky": MoodSky, "skies": MoodSky, "clouds": MoodSky, "cloudy": MoodSky, "cloud": MoodSky,
		"sunset": MoodSunset, "sunrise": MoodSunset, "dusk": MoodSunset, "dawn": MoodSunset,
		"forest": MoodForest, "woods": MoodForest, "jungle": MoodForest, "leaves": MoodForest,
		"foliage": MoodForest, "garden": MoodForest, "botanical": MoodForest, "plants": MoodForest,
	}
	gradientWords = set("gradient", "ombre", "ombré", "fade", "fading", "duotone", "blend")
	studioWords   = set("studio", "seamless", "sweep", "backdrop", "infinity", "cyclorama", "cyc", "background", "minimal", "clean")
	lightWords    = set("light", "lit", "lighting", "lights", "lamp", "sun", "sunlight", "sunlit", "sunny",
		"window", "illuminated", "spotlight", "daylight", "glow")
	sunWords    = set("sun", "sunlight", "sunlit", "sunny", "daylight", "golden")
	shadowWords = set("shadow", "shadows", "shade")
	directions  = map[string]Light{
		"left": LightLeft, "right": LightRight, "top": LightTop, "above": LightTop,
		"overhead": LightTop, "behind": LightBack, "back": LightBack, "front": LightFront,
	}
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Default colours when a prompt names none.
const (
	warmGrey    = 0xd9d4cc
	studioWhite = 0xf2f1ee
)

type foundColor struct {
	rgb      uint32
	from, to int // token span
}

// ParseScene turns a prompt and a 1-based variant number into a Scene. The
// result depends on nothing else: the same request gives the same scene.
func ParseScene(prompt string, variant int) Scene {
	variant = max(variant, 1)
	tokens := tokenize(prompt)
	norm := strings.Join(tokens, " ")
	s := Scene{Prompt: prompt, Variant: variant,
		Seed: hashString(norm) ^ uint64(variant)*0x9e3779b97f4a7c15}

	colors, used := findColors(tokens)
	understood := len(colors) > 0
	surfaceAt := -1
	tabletop, gradient, studio := false, false, false
	for i, t := range tokens {
		if used[i] {
			continue
		}
		if sf, ok := surfaceWords[t]; ok && s.Surface == SurfaceNone {
			s.Surface, surfaceAt = sf, i
		}
		if m, ok := moodWords[t]; ok {
			s.Moods |= m
		}
		tabletop = tabletop || tabletopWords[t]
		gradient = gradient || gradientWords[t]
		studio = studio || studioWords[t]
		s.Sunlight = s.Sunlight || sunWords[t]
	}
	s.Transparent = isTransparentRequest(norm)
	if strings.Contains(norm, "golden hour") {
		s.Moods |= MoodSunset
	}
	s.Light = parseLight(tokens, used)
	s.Framing, s.Fill = parseFraming(tokens)
	understood = understood || s.Surface != SurfaceNone || s.Moods != 0 || tabletop ||
		gradient || studio || s.Light != LightNone || s.Sunlight

	// A colour written just before the material tints the material
	// ("white marble"); the others colour the wall.
	var wall []uint32
	surfaceTint := uint32(0)
	hasTint := false
	for _, c := range colors {
		if surfaceAt >= 0 && c.to <= surfaceAt && surfaceAt-c.to <= 1 && !hasTint {
			surfaceTint, hasTint = c.rgb, true
			continue
		}
		wall = append(wall, c.rgb)
	}
	for _, c := range colors {
		s.Colors = append(s.Colors, c.rgb)
	}

	r := &rng{s: s.Seed}
	switch {
	case s.Surface != SurfaceNone || tabletop:
		s.Kind = KindTabletop
	case s.Moods != 0:
		s.Kind = KindOutdoor
	case gradient:
		s.Kind = KindGradient
	default:
		s.Kind = KindStudio
	}
	s.Fallback = !understood

	switch s.Kind {
	case KindStudio:
		s.Wall = studioWhite
		if !understood {
			s.Wall = warmGrey
		} else if len(wall) > 0 {
			s.Wall = wall[0]
		} else if hasTint {
			s.Wall = surfaceTint
		}
		s.Floor = s.Wall
	case KindGradient:
		s.Wall = warmGrey
		if len(wall) > 0 {
			s.Wall = wall[0]
		}
		if len(wall) > 1 {
			s.Accent = wall[1]
		} else {
			s.Accent = companion(s.Wall)
		}
		s.Floor = s.Accent
	case KindTabletop:
		s.Floor = surfaceColor(s.Surface, surfaceTint, hasTint, tokens, surfaceAt)
		if len(wall) > 0 {
			s.Wall = wall[0]
		} else {
			s.Wall = wallFor(s.Floor)
		}
	case KindOutdoor:
		s.Wall, s.Floor = outdoorColors(s.Moods)
		if len(wall) > 0 {
			s.Accent = wall[0]
		}
	}
	applyVariant(&s, r)
	return s
}

// tokenize lower-cases and splits on anything but letters, digits and '#';
// punctuation that ends a phrase becomes a "|" token, so "top light, grey
// studio" is not read as "light grey".
func tokenize(prompt string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range strings.ToLower(prompt) {
		switch {
		case r == '#' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			cur = append(cur, r)
		case strings.ContainsRune(",;.!?:/()", r):
			flush()
			if len(out) > 0 && out[len(out)-1] != "|" {
				out = append(out, "|")
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// findColors reads hex codes and colour names with their adjectives
// ("pastel pink", "deep navy"), marking the tokens it used.
func findColors(tokens []string) ([]foundColor, []bool) {
	used := make([]bool, len(tokens))
	var out []foundColor
	var pending []string
	pendingFrom := -1
	for i := 0; i < len(tokens); i++ {
		t := tokens[i]
		if rgb, ok := parseHex(t); ok {
			out = append(out, foundColor{rgb, i, i})
			used[i], pending = true, nil
			continue
		}
		n, rgb := 0, uint32(0)
		if i+1 < len(tokens) {
			if v, ok := namedColors[t+" "+tokens[i+1]]; ok {
				n, rgb = 2, v
			}
		}
		if n == 0 {
			if v, ok := namedColors[t]; ok {
				n, rgb = 1, v
			}
		}
		if n > 0 {
			c := srgbHexToOklab(rgb)
			for _, m := range pending {
				c = colorModifiers[m](c)
			}
			from := i
			if len(pending) > 0 {
				from = pendingFrom
				for k := pendingFrom; k < i; k++ {
					used[k] = true
				}
			}
			for k := i; k < i+n; k++ {
				used[k] = true
			}
			out = append(out, foundColor{oklabToHex(c), from, i + n - 1})
			pending = nil
			i += n - 1
			continue
		}
		if _, ok := colorModifiers[t]; ok {
			if len(pending) == 0 {
				pendingFrom = i
			}
			pending = append(pending, t)
			continue
		}
		pending = nil
	}
	return out, used
}

func parseHex(t string) (uint32, bool) {
	if !strings.HasPrefix(t, "#") {
		return 0, false
	}
	h := t[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return 0, false
	}
	v, err := strconv.ParseUint(h, 16, 32)
	return uint32(v), err == nil
}

// Framing words. "fill" is a framing word unless it names a fill light.
var centreWords = set("centred", "centered", "centre", "center", "centering", "centring", "middle")

// parseFraming reads "centred" and "fill" (optionally "fill 70%", or
// "fill the frame"); without them the product keeps its place.
func parseFraming(tokens []string) (Framing, float64) {
	f, fill := FrameKeep, 0.0
	for i, t := range tokens {
		if centreWords[t] && f == FrameKeep {
			f = FrameCentre
		}
		if t != "fill" && t != "fills" && t != "filling" && t != "filled" {
			continue
		}
		next := ""
		if i+1 < len(tokens) {
			next = tokens[i+1]
		}
		if lightWords[next] || next == "lamp" || next == "flash" || next == "card" {
			continue // a fill light
		}
		f, fill = FrameFill, defaultFill
		if v, err := strconv.Atoi(next); err == nil && v >= 10 && v <= 100 {
			fill = float64(v) / 100
		} else if next == "the" || next == "frame" {
			fill = frameFill
		}
	}
	return f, fill
}

// How much of the height "fill" and "fill the frame" give the product.
const (
	defaultFill = 0.78
	frameFill   = 0.9
)

// parseLight finds a direction next to a light word ("light from the
// left", "top light") or a shadow word ("shadow to the right" means light
// from the left).
func parseLight(tokens []string, used []bool) Light {
	for _, t := range tokens {
		if t == "backlit" || t == "backlight" || t == "backlighting" || t == "rim" {
			return LightBack
		}
		if t == "overhead" {
			return LightTop
		}
	}
	for i, t := range tokens {
		dir, ok := directions[t]
		if !ok {
			continue
		}
		best, bestDist := LightNone, 99
		for j := max(0, i-4); j < min(len(tokens), i+5); j++ {
			d := abs(j - i)
			switch {
			case lightWords[tokens[j]] && !used[j] && d < bestDist:
				best, bestDist = dir, d
			case shadowWords[tokens[j]] && d < bestDist:
				best, bestDist = opposite(dir), d
			}
		}
		if best != LightNone {
			return best
		}
	}
	return LightNone
}

func opposite(l Light) Light {
	switch l {
	case LightLeft:
		return LightRight
	case LightRight:
		return LightLeft
	case LightFront:
		return LightBack
	case LightBack:
		return LightFront
	}
	return l
}

// companion is a gentle second gradient colour: deeper, slightly turned.
func companion(rgb uint32) uint32 {
	c := srgbHexToOklab(rgb)
	c = fromLCh(float64(c.L)*0.8, c.chroma()*1.1, c.hue()+18)
	return oklabToHex(c)
}

// surfaceColor is the material's natural tone unless the prompt tints it.
func surfaceColor(sf Surface, tint uint32, hasTint bool, tokens []string, at int) uint32 {
	if hasTint {
		return tint
	}
	dark := at > 0 && (tokens[at-1] == "dark" || tokens[at-1] == "black")
	switch sf {
	case SurfaceMarble:
		if dark {
			return 0x2a2a2d
		}
		return 0xeeece8
	case SurfaceWood:
		if dark || (at >= 0 && tokens[at] == "walnut") {
			return 0x6b4a33
		}
		return 0xc49a6c
	case SurfaceConcrete:
		return 0xb9b6b0
	case SurfaceLinen:
		return 0xe3d9c6
	case SurfacePaper:
		return 0xf0ece4
	}
	return 0xe9e5df
}

// wallFor picks a calm wall that flatters the surface: the surface's hue,
// much lighter and quieter, leaning warm.
func wallFor(floor uint32) uint32 {
	c := srgbHexToOklab(floor)
	l := 0.86 + 0.06*float64(c.L)
	return oklabToHex(fromLCh(l, 0.012+c.chroma()*0.25, c.hue()))
}

func outdoorColors(m Mood) (wall, floor uint32) {
	switch {
	case m&MoodSunset != 0:
		return 0xf29a6b, 0xd9a77c
	case m&MoodBeach != 0:
		return 0x9fd0ee, 0xe8d4ae
	case m&MoodForest != 0:
		return 0x3f6b45, 0x5a5a3a
	}
	return 0x8fc2ee, 0xeef1f4
}

// applyVariant jitters the scene deterministically: variant 1 is the plain
// reading of the prompt; the others turn the hue a little, move the light,
// tilt the gradient, shift the horizon and reseed the textures.
func applyVariant(s *Scene, r *rng) {
	s.Base, s.ProductHeight = 0.85, 0.66
	s.GradientAngle = 90
	s.GlowX, s.GlowY = 0.5, 0.36
	s.Vignette = 0.3
	switch s.Kind {
	case KindStudio:
		s.Horizon = 0.64
	case KindTabletop:
		s.Horizon, s.Base = 0.55, 0.85
	case KindOutdoor:
		s.Horizon = 0.56
		if s.Moods == MoodSky {
			s.Horizon = 0.66
		}
	case KindGradient:
		s.Horizon, s.Base = 0, 0.87
	}
	if s.Fallback {
		s.Vignette = 0.5
	}
	// Outdoors the sun is the light: low and behind at sunset (a long
	// shadow towards the camera), to one side on a beach.
	if s.Kind == KindOutdoor && s.Light == LightNone {
		if s.Has(MoodSunset) {
			s.Light, s.Sunlight = LightBack, true
		} else if s.Has(MoodBeach) {
			s.Sunlight = true
		}
	}
	if s.Sunlight && s.Light == LightNone {
		s.Light = LightRight
		if r.float() < 0.5 {
			s.Light = LightLeft
		}
	}
	switch s.Light {
	case LightLeft:
		s.GlowX = 0.24
	case LightRight:
		s.GlowX = 0.76
	case LightTop:
		s.GlowY = 0.2
	}
	if s.Variant == 1 {
		return
	}
	// Each variant takes its own step from a table (so no two variants of
	// one request land close together) with a little seeded jitter.
	k := (s.Variant - 2) % 6
	sign := 1.0
	if r.float() < 0.5 {
		sign = -1
	}
	s.HueShift = sign * []float64{6, -6, 9, -9, 4, -4}[k] * r.between(0.85, 1.15)
	s.GradientAngle = 90 + []float64{28, -28, 50, -50, 14, -14}[k]
	s.GlowX = clamp(s.GlowX+[]float64{0.14, -0.14, 0.08, -0.08, 0.2, -0.2}[k]+r.between(-0.03, 0.03), 0.12, 0.88)
	s.GlowY = clamp(s.GlowY+r.between(-0.06, 0.06), 0.12, 0.5)
	if s.Horizon > 0 {
		s.HorizonShift = sign * []float64{0.035, -0.035, 0.025, -0.025, 0.045, -0.045}[k]
		s.Horizon += s.HorizonShift
	}
	s.Vignette = clamp(s.Vignette+r.between(-0.08, 0.12), 0.15, 0.6)
}

func srgbHexToOklab(h uint32) oklab {
	return srgbToOklab(float64(h>>16&255)/255, float64(h>>8&255)/255, float64(h&255)/255)
}

func oklabToHex(c oklab) uint32 {
	r, g, b := c.toSRGB()
	q := func(v float64) uint32 { return uint32(to8(float32(v * 255))) }
	return q(r)<<16 | q(g)<<8 | q(b)
}
