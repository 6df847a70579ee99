"""The one gunicorn configuration both sites of the throughput benchmark run under.

Passed with `-c` so that neither side picks up a `gunicorn.conf.py` from its working
directory: the settings below, and the bind address given on the command line, are all.
"""

workers = 2
worker_class = "sync"
timeout = 60
graceful_timeout = 10
accesslog = None
loglevel = "warning"
