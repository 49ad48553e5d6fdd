"""Getting articles in: readers for each kind of source, and the stream publisher."""
