// SPDX-License-Identifier: GPL-3.0-or-later
// The simple-icons slugs bundled with the app: services people commonly protect with MFA.
// Only these icons' paths go into the (lazily loaded) icon chunk; the whole set is ~5 MB.
// scripts/brand-icons.ts fails the build if simple-icons no longer has one of them.
export const BRAND_SLUGS: readonly string[] = [
  // developer and cloud
  'github', 'gitlab', 'bitbucket', 'gitea', 'codeberg', 'sourceforge', 'npm', 'pypi', 'docker',
  'atlassian', 'jira', 'trello', 'cloudflare', 'digitalocean', 'vercel', 'netlify', 'googlecloud',
  'hetzner', 'ovh', 'vultr', 'scaleway', 'backblaze', 'wasabi', 'supabase', 'firebase', 'mongodb',
  'planetscale', 'render', 'railway', 'flydotio', 'fastly', 'akamai', 'mailgun', 'sentry', 'datadog',
  'newrelic', 'grafana', 'jetbrains', 'anthropic', 'huggingface', 'kaggle', 'codecov', 'circleci',
  'travisci', 'jenkins', 'terraform', 'hashicorp', 'okta', 'auth0', 'tailscale', 'wireguard',
  'namecheap', 'godaddy', 'porkbun', 'gandi', 'ionos', 'squarespace', 'wix', 'webflow', 'wordpress',
  'stackoverflow', 'stackexchange', 'hackerone', 'bugcrowd', 'discourse', 'mozilla', 'firefox',
  // big platforms, mail and storage
  'google', 'gmail', 'googledrive', 'googlepay', 'apple', 'icloud', 'facebook', 'instagram',
  'whatsapp', 'x', 'discord', 'telegram', 'signal', 'mastodon', 'bluesky', 'reddit', 'tumblr',
  'pinterest', 'snapchat', 'tiktok', 'dropbox', 'box', 'mega', 'nextcloud', 'synology', 'protonmail',
  'proton', 'protonvpn', 'zoho', 'mailbox', 'riseup', 'evernote', 'todoist', 'asana', 'clickup',
  'notion', 'miro', 'figma', 'zoom', 'mailchimp', 'hubspot', 'zendesk', 'intercom', 'wikipedia',
  'duckduckgo', 'brave', 'vivaldi', 'opera', 'bitwarden', '1password', 'lastpass', 'keepassxc',
  'yubico', 'expressvpn', 'nordvpn', 'mullvad',
  // money and shopping
  'paypal', 'stripe', 'coinbase', 'binance', 'kucoin', 'okx', 'robinhood', 'revolut', 'wise', 'n26',
  'monzo', 'klarna', 'venmo', 'cashapp', 'americanexpress', 'visa', 'mastercard', 'chase',
  'wellsfargo', 'bankofamerica', 'hsbc', 'barclays', 'discover', 'trezor', 'shopify', 'ebay', 'etsy',
  'airbnb', 'uber', 'lyft', 'patreon', 'kickstarter',
  // games and media
  'steam', 'epicgames', 'playstation', 'ubisoft', 'ea', 'battledotnet', 'riotgames', 'roblox',
  'humblebundle', 'twitch', 'youtube', 'spotify', 'netflix', 'vimeo', 'soundcloud', 'deezer',
  'tidal', 'bandcamp', 'duolingo',
];
