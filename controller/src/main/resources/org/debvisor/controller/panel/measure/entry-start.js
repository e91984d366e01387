// Run by a WebDriver client (PanelBrowserTest, bench's PanelRenderBench), never served by the
// panel: the start time in ms after navigation start of the Performance entry named by the first
// argument (a mark such as debvisor:nodes-painted, or first-contentful-paint), or null before it.
const entries = performance.getEntriesByName(arguments[0]);
return entries.length ? entries[0].startTime : null;
