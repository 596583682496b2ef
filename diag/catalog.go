package diag

import "slices"

// automaticTime sets a device's clock from the network: the fix of every cause a wrong
// clock explains.
var automaticTime = []Step{
	{Text: "Turn on automatic date and time (and automatic time zone), then sync now."},
	{Platform: PlatformWindows, Text: "Settings → Time & language → Date & time: turn on \"Set time automatically\" and \"Set time zone automatically\", then press \"Sync now\"."},
	{Platform: PlatformMacOS, Text: "System Settings → General → Date & Time: turn on \"Set time and date automatically\" and \"Set time zone automatically using your current location\"."},
	{Platform: PlatformLinux, Text: "Run `sudo timedatectl set-ntp true`, then check `timedatectl` shows \"System clock synchronized: yes\"."},
	{Platform: PlatformAndroid, Text: "Settings → System → Date & time: turn on \"Set time automatically\" and \"Set time zone automatically\"."},
	{Platform: PlatformIOS, Text: "Settings → General → Date & Time: turn on \"Set Automatically\"."},
}

// causes is the catalog behind every fix step and every page under docs/causes.
// Steps name exact menu paths; where a path differs between app versions, say so.
var causes = []CauseInfo{
	{
		ID:       CauseDeviceClock,
		Headline: "This computer's clock is wrong",
		Meaning: "Two-factor codes are made from the current time. When a device's clock is off by more " +
			"than a few seconds, the codes it makes, and its idea of which codes are valid, are off too.",
		Detect: "The clock check asks several independent time servers (NTP) for the true time, falls back " +
			"to the Date header of well-known HTTPS sites when NTP is blocked, and compares this machine's clock " +
			"with their consensus. Servers that agree are those whose answers overlap within their own uncertainty; when no " +
			"majority agrees and they are 3 s or more apart, the clock is not judged: the report names each server and what " +
			"it says, and asks you to compare with a clock you trust (a time web site such as time.is, or otpdoctor phone).",
		Steps: On(DeviceThisComputer, slices.Concat(automaticTime, []Step{
			{Text: "Run otpdoctor check again: the clock line should show a tick."},
		})),
	},
	{
		ID:       CauseTimezone,
		Headline: "The time zone is set wrong, and the clock was moved by hand to look right",
		Meaning: "Codes depend on universal time, not on the time shown. If the time zone is wrong and the clock " +
			"was then moved by hand until it looked right, the device is off by a whole number of hours (or " +
			"half or quarter hours) and every code is wrong.",
		Detect: "The measured offset, of this computer or of the phone, is within two minutes of a real difference between " +
			"two time zones: whole hours, or hours and 30 or 45 minutes, at most 14 hours. A clock 16 minutes, two days or a " +
			"year off is simply wrong, not in the wrong zone.",
		Steps: []Step{
			{Text: "Set the correct time zone for where you are, then turn on automatic date and time so the clock is set from the network, not by hand."},
			{Platform: PlatformWindows, Text: "Settings → Time & language → Date & time: turn on \"Set time zone automatically\" (or pick your zone), then \"Set time automatically\" and \"Sync now\"."},
			{Platform: PlatformMacOS, Text: "System Settings → General → Date & Time: choose your time zone, then turn on \"Set time and date automatically\"."},
			{Platform: PlatformLinux, Text: "Run `timedatectl list-timezones`, then `sudo timedatectl set-timezone Your/Zone` and `sudo timedatectl set-ntp true`. On a dual-boot PC whose clock jumps by hours after Windows, run `sudo timedatectl set-local-rtc 0`."},
			{Platform: PlatformAndroid, Text: "Settings → System → Date & time: turn on \"Set time zone automatically\" and \"Set time automatically\"."},
			{Platform: PlatformIOS, Text: "Settings → General → Date & Time: turn on \"Set Automatically\"."},
		},
	},
	{
		ID:       CauseAuthenticatorClock,
		Headline: "Your phone's clock is wrong, so your authenticator shows codes for another time",
		Meaning: "The authenticator app makes codes from the phone's clock. If the phone's clock is off, the app " +
			"shows codes that belong to another time and the service refuses them, even though the key is right.",
		Detect: "The codes check finds the code the app showed at another time step than the true one, by more " +
			"than a step, or pinned by two consecutive codes.",
		Steps: On(DevicePhone, []Step{
			{Platform: PlatformAndroid, Text: "Settings → System → Date & time: turn on \"Set time automatically\" and \"Set time zone automatically\"."},
			{Platform: PlatformIOS, Text: "Settings → General → Date & Time: turn on \"Set Automatically\"."},
			{App: "google-authenticator", Platform: PlatformAndroid, Text: "⋮ menu → Settings → Time correction for codes → Sync now (it corrects only whole minutes)."},
			{Text: "Force-close the authenticator app and open it again, then compare its countdown with the true time otpdoctor shows."},
		}),
	},
	{
		ID:       CauseCodeExpired,
		Headline: "The code expired while it was being typed",
		Meaning: "A code is valid for one 30-second step (some services accept one step either side). A code typed " +
			"near the end of its step often arrives after it changed.",
		Detect: "The code matches the previous one or two time steps.",
		Steps: []Step{
			{Text: "Wait until a fresh code appears (the countdown restarts), then type it at once."},
			{Text: "If it still fails with fresh codes, run otpdoctor match with two consecutive codes: your phone's clock may be up to a minute behind."},
		},
	},
	{
		ID:       CauseCodeTypo,
		Headline: "The code was typed with a small mistake",
		Meaning:  "A code one digit off, with two digits swapped, or missing a leading zero is refused.",
		Detect:   "The code is one edit away from a code that is valid now under the right key.",
		Steps: []Step{
			{Text: "Type the code again slowly, digit by digit, keeping any leading zeros."},
			{Text: "Prefer copy and paste (tap the code in most apps) over typing."},
		},
	},
	{
		ID:       CauseCounterDrift,
		Headline: "Your token's counter ran ahead of the service's",
		Meaning: "A counter-based (HOTP) token makes a new code each time its button is pressed or the app is asked " +
			"for one, while the service only moves its counter when it accepts a code. Codes made away from the " +
			"sign-in page push the token ahead, and past the service's look-ahead window every code is refused.",
		Detect: "The codes check finds the code at a counter past the expected one, beyond what the service looks " +
			"ahead; the facts say by how many (counter_ahead).",
		Steps: []Step{
			{Text: "Use the service's resynchronisation: it asks for two consecutive codes from the token and moves its counter to match."},
			{Text: "No resync offered: sign in another way (a backup code) and enrol the token again."},
			{Text: "From now on, make codes only on the sign-in page."},
		},
	},
	{
		ID:       CauseParameterMismatch,
		Headline: "Your authenticator app uses different settings than the service expects",
		Meaning: "Some keys ask for SHA256/SHA512, 8 digits or a 60-second period. Several popular apps accept such " +
			"a QR code and then silently use SHA1, 6 digits and 30 seconds, so every code is wrong.",
		Detect: "The code matches under another algorithm, digit count or period than the key's.",
		Steps: []Step{
			{Text: "Move the key to an app that supports every parameter (Aegis, FreeOTP, 2FAS for 8 digits and other periods, a recent Google Authenticator on iOS)."},
			{Text: "Or, if you can still sign in another way, turn two-factor off and on again at the service and scan the new QR code."},
		},
	},
	{
		ID:       CauseSecretMismatch,
		Headline: "Your authenticator holds a different key than the service",
		Meaning: "After a reinstall, a phone change, or re-linking the account, the app can hold a stale or different " +
			"key. Its codes then never match, whatever the clock.",
		Detect: "The code matches nothing near the true time under any common settings, while the key and clocks are sound.",
		Steps: []Step{
			{Text: "Look for a second entry for this account in your authenticator: an old one keeps giving refused codes."},
			{Text: "Re-add the account from the backup key or setup key you saved when you turned on two-factor, then delete the old entry."},
			{Text: "No backup key: sign in with a backup code, or follow the service's account recovery, and set up two-factor again."},
		},
	},
	{
		ID:       CauseSecretInvalid,
		Headline: "The key itself is malformed or too short",
		Meaning:  "A key with characters outside base32, or too short to be safe, cannot give codes the service accepts.",
		Detect:   "The secret check parses the key and finds bad characters, a wrong length or implausible bytes.",
		Steps: []Step{
			{Text: "Copy the key again from the service's setup page; 0/O, 1/I/L and 8/B are easy to confuse."},
			{Text: "Prefer scanning the QR code, or copy and paste, to typing the key."},
		},
	},
	{
		ID:       CauseDuplicateEntry,
		Headline: "Your authenticator has two entries for this account with different keys",
		Meaning:  "When an account is set up twice, the older entry keeps showing codes that the service no longer accepts.",
		Detect:   "An export holds two entries with the same issuer and account but different key fingerprints.",
		Steps: []Step{
			{Text: "Try the code from each entry; the one that works is current."},
			{Text: "Delete the entry whose codes are refused, so you do not pick it next time."},
		},
	},
	{
		ID:       CauseBackupCodeInvalid,
		Headline: "The backup code is mistyped or not in the service's format",
		Meaning:  "Backup codes are long and easy to copy wrong (O for 0, l for 1); a code from another service or format is refused.",
		Detect:   "The backup check compares each code with the formats the service issues, and names each wrong character by its position and the character probably meant (\"character 8 is the letter O; it is probably the digit 0\"). Reports never hold a whole backup code, as typed or as probably meant: `otpdoctor backup --reveal` shows the code meant, on your screen only.",
		Steps: []Step{
			{Text: "Type the code again exactly as printed; otpdoctor shows the likely intended characters."},
		},
	},
	{
		ID:       CauseBackupCodeUsed,
		Headline: "This backup code was already used",
		Meaning:  "Backup codes work once. A code used before, or from a set replaced by a newer one, is refused.",
		Detect:   "The code is in otpdoctor's ledger of used codes (otpdoctor backup mark-used).",
		Steps: []Step{
			{Text: "Use another code from the newest set, and mark each one used when you spend it."},
		},
	},
	{
		ID:       CauseBackupKeyConfusion,
		Headline: "What you hold as a backup code is really your authenticator key",
		Meaning:  "Some services (Binance's 16-character \"Backup Key\", Kraken's setup key) show the TOTP key itself as a backup. It is not typed as a code: it re-creates your authenticator.",
		Detect:   "The backup code is a valid base32 key of plausible length.",
		Steps: []Step{
			{Text: "Add it to your authenticator app as a new account (\"Enter a setup key\"), then use the code it shows."},
		},
	},
	{
		ID:       CauseServiceOutage,
		Headline: "The service itself is having problems",
		Meaning:  "During an incident or maintenance, sign-in and two-factor can fail for everyone. Nothing on your side needs fixing.",
		Detect:   "The service's status page or status API reports an incident or maintenance.",
		Steps: []Step{
			{Text: "Wait, and try again later; follow the service's status page."},
		},
	},
	{
		ID:       CauseNetworkBlocked,
		Headline: "The network blocks the time servers or the service",
		Meaning:  "A firewall, proxy, VPN or DNS problem stops otpdoctor (and maybe your device) from reaching time servers or the service.",
		Detect:   "Every reference or the service is unreachable: DNS failures, refused connections, timeouts.",
		Steps: []Step{
			{Text: "Try another network (mobile data instead of Wi-Fi), or turn the VPN or proxy off, and run otpdoctor check again."},
		},
	},
	{
		ID:       CauseTLSClock,
		Headline: "Secure connections fail because this computer's clock is wrong",
		Meaning:  "Certificates are valid only between two dates; a clock far off makes valid certificates look expired or not yet valid.",
		Detect:   "Verification fails as expired or not yet valid at the local time, and passes at the server's Date.",
		Steps: On(DeviceThisComputer, slices.Concat(automaticTime, []Step{
			{Text: "Try the secure connection again once the clock is right; no certificate needs changing."},
		})),
	},
	{
		ID:       CauseTLSUntrusted,
		Headline: "The service's certificate is not trusted on this computer",
		Meaning:  "An outdated operating system or root certificate store, or a proxy or antivirus that intercepts secure connections, makes the service's certificate untrusted.",
		Detect:   "Verification fails with an unknown authority; otpdoctor names the issuer that was presented.",
		Steps: []Step{
			{Text: "If the issuer named is your antivirus, firewall or company proxy, turn its HTTPS scanning off or ask its administrator; otherwise install your system's updates, which renew its trusted certificates."},
			{Text: "Open the service's site in a browser on this computer: if the browser warns about its certificate too, the cause is on this computer or network, not at the service."},
		},
	},
}
