/* The HTML report's inline style sheet and script (no external URL), shared
 * with the batch index so both pages look alike. */
#ifndef ST_REPORT_HTML_STYLE_H
#define ST_REPORT_HTML_STYLE_H

extern const char st_html_css[];
extern const char st_html_js[];

#endif
