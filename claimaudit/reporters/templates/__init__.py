"""Package data: the HTML report's CSS and JavaScript."""
