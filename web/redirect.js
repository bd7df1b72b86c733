// report.html → tib.html, keeping the query string (?space=…) and the fragment. A separate file
// because the server's Content-Security-Policy allows no inline script.
location.replace(`tib.html${location.search}${location.hash}`);
