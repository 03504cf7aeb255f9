package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/planning"
)

// style answers /styles/{config}.json: a MapLibre style over the
// configuration's tiles. It needs no glyphs or sprites (no text layers), so
// it renders without any external resource.
func (a *api) style(c *gin.Context) {
	v, err := a.jsonDocumentConfiguration(c)
	if err != nil {
		fail(c, err)
		return
	}
	name, cfg, version := v.Name, v.Configuration, v.Number
	palette := []string{"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"}
	localityColour := []any{"match", []any{"get", "locality"}}
	for i, l := range cfg.Localities {
		localityColour = append(localityColour, l.ID, palette[i%len(palette)])
	}
	localityColour = append(localityColour, "#999999")
	// Teams in planning.TeamColours (as the GeoPackage's QGIS styles): the
	// page's legend reads them from metadata, so style and legend agree.
	teamColours := planning.TeamColours(cfg)
	teamColour := []any{"match", []any{"get", "team"}}
	for _, t := range cfg.Teams() {
		teamColour = append(teamColour, t.ID, teamColours[t.ID])
	}
	teamColour = append(teamColour, planning.NoTeamColour)
	if len(cfg.Teams()) == 0 {
		teamColour = []any{"literal", planning.NoTeamColour}
	}
	// LSOAs by IMD decile in planning.IMDDecileClasses: each class from the
	// decile after the previous class's last.
	classes := planning.IMDDecileClasses
	imdColour := []any{"step", []any{"coalesce", []any{"get", "imd_decile"}, 10}, classes[0].Colour}
	for i := 1; i < len(classes); i++ {
		imdColour = append(imdColour, classes[i-1].Upper+1, classes[i].Colour)
	}
	// Practices' area follows their list size (radius by its square root:
	// 2.5 px with no known list, 8 px at 22,500 patients).
	practiceRadius := []any{"interpolate", []any{"linear"}, []any{"sqrt", []any{"coalesce", []any{"get", planning.FieldListSize}, 0}},
		0, 2.5, 150, 8}
	src := "placeteam"
	// Tiles carry ids and what this style draws; a layer's other figures
	// are at its values URL, keyed by the id property, which the source
	// promotes to the feature id so a client can set them as feature-state.
	promote, values := gin.H{}, gin.H{}
	for _, l := range planning.MapLayers {
		promote[l.Name] = l.IDField
		values[l.Name] = fmt.Sprintf("%s/values/%s/%s.json?version=%d", a.base(c), name, l.Name, version)
	}
	// The map opens where the TileJSON says: on the city's wards. The
	// source inlines the TileJSON's tiles, bounds and zooms, so a client
	// asks for tiles without first fetching the TileJSON (its URL is in
	// metadata); the city's bounds are there for fitting the view.
	tj, view, err := a.tileJSONOf(c, v, false)
	if err != nil {
		fail(c, err)
		return
	}
	centre, zoom, city := view.city.Center(), view.zoom, view.city
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, gin.H{
		"version": 8,
		"center":  []float64{centre[0], centre[1]},
		"zoom":    zoom,
		"metadata": gin.H{"placeteam:team-colours": teamColours, "placeteam:values": values,
			"placeteam:tilejson":    fmt.Sprintf("%s/tiles/%s.json?version=%d", a.base(c), name, version),
			"placeteam:city-bounds": []float64{city.Min[0], city.Min[1], city.Max[0], city.Max[1]}},
		"name": fmt.Sprintf("placeteam %s (version %d)", name, version),
		"sources": gin.H{src: gin.H{"type": "vector", "tiles": tj.Tiles, "bounds": tj.Bounds, "minzoom": tj.MinZoom, "maxzoom": tj.MaxZoom,
			"attribution": a.attribution(), "promoteId": promote}},
		"layers": []gin.H{
			{"id": "background", "type": "background", "paint": gin.H{"background-color": "#f4f1ea"}},
			// The city's small areas only: shading the region's too doubled
			// what a first view draws.
			{"id": "lsoas-imd", "type": "fill", "source": src, "source-layer": "lsoas", "minzoom": 9,
				"filter": []any{"==", []any{"get", "in_city"}, true},
				"paint":  gin.H{"fill-opacity": 0.35, "fill-color": imdColour}},
			{"id": "teams-fill", "type": "fill", "source": src, "source-layer": "teams", "paint": gin.H{"fill-color": localityColour, "fill-opacity": 0.25}},
			{"id": "wards-fill", "type": "fill", "source": src, "source-layer": "wards", "minzoom": 8, "paint": gin.H{"fill-color": teamColour, "fill-opacity": 0.55}},
			{"id": "wards-line", "type": "line", "source": src, "source-layer": "wards", "minzoom": 8, "paint": gin.H{"line-color": "#777777", "line-width": 0.6, "line-dasharray": []float64{2, 2}}},
			{"id": "teams-line", "type": "line", "source": src, "source-layer": "teams", "paint": gin.H{"line-color": "#333333", "line-width": 1.6}},
			{"id": "localities-line", "type": "line", "source": src, "source-layer": "localities", "paint": gin.H{"line-color": "#111111", "line-width": 3}},
			{"id": "practices", "type": "circle", "source": src, "source-layer": "practices", "minzoom": 10,
				"filter": []any{"==", []any{"get", "status"}, "active"}, "paint": gin.H{"circle-radius": practiceRadius, "circle-color": "#2166ac", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1}},
			{"id": "hospitals", "type": "circle", "source": src, "source-layer": "hospitals", "minzoom": 8, "paint": gin.H{"circle-radius": 6, "circle-color": "#b2182b", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5}},
		},
	})
}
