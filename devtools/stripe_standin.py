"""Run localstripe, the offline Stripe stand-in, for the demo (`make run`) and the tests.

    python -m devtools.stripe_standin --port 8420 \
        --webhook-url http://127.0.0.1:8000/stripe/webhook/ --webhook-secret whsec_...

Two differences from `localstripe --from-scratch`, both to keep it local and private:
it listens on 127.0.0.1 only (localstripe binds every interface), and it keeps its objects
in memory instead of rewriting /tmp/localstripe.pickle, a file every run on the host would
share, on each change.
"""

import argparse
import logging

from aiohttp import web
from localstripe import resources, server, webhooks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--webhook-url", help="where the stand-in posts its signed events")
    parser.add_argument("--webhook-secret", help="the endpoint secret it signs them with")
    args = parser.parse_args(argv)

    resources.store.dump_to_disk = lambda: None
    if args.webhook_url:
        webhooks.register_webhook("kiosque", args.webhook_url, args.webhook_secret, None)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"Stripe stand-in on http://127.0.0.1:{args.port}", flush=True)
    web.run_app(server.app, host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
