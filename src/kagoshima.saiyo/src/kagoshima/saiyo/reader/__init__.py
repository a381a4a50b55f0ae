"""音声読み上げ: the built-in reader (static/reader.js) and the panel viewlet that drives it."""
