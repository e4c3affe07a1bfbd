"""The providers' tests, without the Flask app: each provider is a plain object.

The log provider's module is imported here for every test in this package, so that a
provider never behaves differently depending on which test modules happened to be
collected (importing `notifications.log` once changes the `notifications` package).
"""

import notifications.log  # noqa: F401
