import logging

log = logging.getLogger(__name__)


def call(f, attempts=3):
    for n in range(attempts):
        try:
            return f()
        except TimeoutError as e:
            log.warning('attempt %d failed: %s', n + 1, e)
    raise TimeoutError('gave up')
