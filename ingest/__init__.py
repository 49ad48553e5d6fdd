"""Getting articles in: readers for each kind of source, normalisation, and the stream publisher.

Entry points:

* ``ingest.sources.read_inputs(paths)``: files and directories -> Article | RecordError;
* ``ingest.feed_poller.poll_feed`` / ``follow_feeds``: RSS and Atom feeds, once or on an interval;
* ``ingest.http_intake.make_intake_app``: ``POST /articles`` as an ASGI app;
* ``ingest.normalise.normalise_article``: what every source applies to every article;
* ``ingest.publisher.publish_articles``: onto the ``articles`` stream;
* ``ingest.progress.Progress``: the progress line of long publishes.
"""
