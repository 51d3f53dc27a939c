# positive: a key id alone is a medium finding
ACCESS_KEY_ID = "@@AWS_ID@@"
# placeholder: one repeated character
OTHER = "AKIAAAAAAAAAAAAAAAAA"
