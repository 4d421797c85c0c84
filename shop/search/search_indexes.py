# Haystack finds the indexes in each installed app's search_indexes module: Oscar's product
# index, unchanged, from the forked app.
from oscar.apps.search.search_indexes import ProductIndex  # noqa: F401
