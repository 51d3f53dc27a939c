import anthropic

# positive
client = anthropic.Anthropic(api_key="@@ANTHROPIC@@")
# placeholder
doc = anthropic.Anthropic(api_key="sk-ant-api03-your_key_here")
