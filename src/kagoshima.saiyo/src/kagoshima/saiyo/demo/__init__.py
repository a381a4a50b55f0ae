"""Demo content of the kagoshima.saiyo:demo profile: the data in data/*.yaml,
read by loader.py, with illustrations drawn by images.py."""
