-- Accounts a message mentions (@name, <@U…>): the second kind of interaction after replies.
CREATE TABLE mentions (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (message_id, account_id)
) WITHOUT ROWID;
