# positive: checksum verifies
GITHUB_TOKEN = "@@GITHUB_CLASSIC@@"
# negative: same shape, checksum fails (dropped, and not taken by the generic rule)
OTHER_TOKEN = "@@GITHUB_CLASSIC_BAD@@"
# placeholder
DOCS_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
