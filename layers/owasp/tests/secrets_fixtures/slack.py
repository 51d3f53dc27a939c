# positive: bot token and webhook
SLACK_BOT = "@@SLACK_BOT@@"
WEBHOOK = "@@SLACK_HOOK@@"
# placeholder webhook from the docs
DOC_HOOK = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
