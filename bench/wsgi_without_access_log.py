"""The application with access-log writes turned into nothing, to measure what logging costs.

Only the load test imports this; the application has no switch to turn its access log off.
"""

from wijkteam.wsgi import application  # noqa: F401, I001 - sets Django up before the model import

from privacy import chain

chain.append = lambda entry: entry  # the row and its link in the chain (privacy.services.log_access calls it)
