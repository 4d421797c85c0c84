# Oscar's admin of the catalogue, for the forked app (Django imports each app's admin module).
from oscar.apps.catalogue.admin import *
