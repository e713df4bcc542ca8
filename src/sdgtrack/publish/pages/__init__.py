"""Pages of the site (one module per kind of page) and the page templates they share with the live server."""
