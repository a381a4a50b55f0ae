"""A whole deployment from one profile: ZEO server, Zope clients and nginx.

``files`` writes the files, ``control`` starts, stops and watches the processes,
``maintenance`` backs up, restores and packs, ``check`` is the monitoring check and
``loopback`` reaches the deployment's host names on this machine.
"""

from saiyo_backend.cluster.control import NGINX  # noqa: F401
from saiyo_backend.cluster.control import nginx_command  # noqa: F401
from saiyo_backend.cluster.control import start  # noqa: F401
from saiyo_backend.cluster.control import start_nginx  # noqa: F401
from saiyo_backend.cluster.control import status  # noqa: F401
from saiyo_backend.cluster.control import stop  # noqa: F401
from saiyo_backend.cluster.files import render  # noqa: F401
from saiyo_backend.config import read_layout  # noqa: F401
