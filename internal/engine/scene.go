package engine

// Kind is the overall layout of a backdrop.
type Kind int

const (
	// KindStudio is a seamless paper sweep: wall curving softly into floor.
	KindStudio Kind = iota
	// KindGradient is a colour gradient with no floor.
	KindGradient
	// KindTabletop is a wall behind a textured table surface.
	KindTabletop
	// KindOutdoor is a colour story (beach, sky, sunset, forest).
	KindOutdoor
)

// Surface is the material of a tabletop.
type Surface int

const (
	SurfaceNone Surface = iota
	SurfaceMarble
	SurfaceWood
	SurfaceConcrete
	SurfaceLinen
	SurfacePaper
)

// Mood is a set of outdoor colour stories.
type Mood uint8

const (
	MoodBeach Mood = 1 << iota
	MoodSky
	MoodSunset
	MoodForest
)

// Light is where the key light comes from.
type Light int

const (
	LightNone Light = iota // soft frontal light, no cast shadow
	LightLeft
	LightRight
	LightTop
	LightFront
	LightBack
)

// Framing is where the product goes in the picture.
type Framing int

const (
	// FrameKeep leaves the product where it stands in the shot, at its
	// size: the result lines up with the original pixel for pixel, and the
	// floor is laid at the product's base.
	FrameKeep Framing = iota
	// FrameCentre moves the product to the middle of the frame, standing
	// on the floor line, at its size ("centred").
	FrameCentre
	// FrameFill centres the product and scales it to fill Fill of the
	// frame's height ("fill", "fill 70%").
	FrameFill
)

// Scene is a parsed, variant-specific description of a backdrop. Every
// field is plain data, so a Scene can be built or tweaked by hand.
type Scene struct {
	Prompt  string
	Variant int
	Seed    uint64 // drives textures, bokeh and jitter

	// Transparent asks for the cut-out alone, on transparency, where it
	// stood in the shot ("transparent background", "cut out").
	Transparent bool

	Kind     Kind
	Surface  Surface
	Moods    Mood
	Light    Light
	Sunlight bool // hard, warm light: crisper, longer shadows
	Fallback bool // nothing in the prompt was understood

	// Colors are the prompt's colours in order (sRGB, 0xRRGGBB).
	Colors []uint32
	// Wall is the backdrop's main colour, Floor the floor or surface tint.
	Wall, Floor uint32
	// Accent is the second gradient colour.
	Accent uint32

	Framing Framing
	Fill    float64 // share of the height the product fills, for FrameFill

	Horizon       float64 // where the floor starts, fraction of height (0: no floor)
	HorizonShift  float64 // the variant's move of the horizon, kept when the floor is refitted
	Base          float64 // where the product's base sits, fraction of height
	ProductHeight float64 // product height as a fraction of the frame height
	GradientAngle float64 // degrees; 90 is top to bottom
	HueShift      float64 // degrees, applied to the colours by the variant
	GlowX, GlowY  float64 // centre of the key light's glow on the wall (0..1)
	Vignette      float64 // 0..1
}

// Has reports whether the scene includes mood m.
func (s Scene) Has(m Mood) bool { return s.Moods&m != 0 }
