package ui

// preset is a built-in prompt that works well for product photography.
type preset struct{ name, prompt string }

var presets = []preset{
	{"Studio white", "Clean white studio seamless background, soft even light, subtle contact shadow, e-commerce product photo"},
	{"Soft grey", "Light grey studio backdrop with a soft gradient, gentle light from the left, professional product photography"},
	{"Marble", "White marble tabletop with soft natural window light from the left, minimal and elegant"},
	{"Warm wood", "Warm oak wooden table, blurred cosy interior behind, soft morning light"},
	{"Pastel", "Pastel pink seamless backdrop with a soft gradient, playful and modern"},
	{"Concrete", "Raw concrete surface and wall, soft directional light, urban minimal mood"},
	{"Sunset beach", "Sandy beach at golden hour, warm sunset sky with soft bokeh"},
	{"Forest", "Mossy stone in a calm forest, soft green bokeh, diffused daylight"},
}
