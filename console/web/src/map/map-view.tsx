/** The live map pane (the map itself: map/live-map.ts). */
export function MapView() {
  return <div class="map" data-testid="map" />;
}
