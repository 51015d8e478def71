<#
.SYNOPSIS
  Makes the Virtu kiosk the Windows shell of the local standard user "kiosk"
  (Shell Launcher v1, WMI class WESL_UserSetting in root\standardcimv2\embedded).

.DESCRIPTION
  Unverified here: written on Linux, never run on Windows.
  Run in an elevated Windows PowerShell 5.1 (powershell.exe, not pwsh: [wmiclass] is
  missing from PowerShell 7). Needs Windows 10/11 Enterprise, Education or IoT Enterprise.

  When the kiosk program exits, Shell Launcher:
    exit status 75 (stopped for servicing, docs/maintenance.md)  -> does nothing (3)
    exit status 2  (configuration error: do not loop; fix the file) -> does nothing (3)
    any other status (0 normal exit, a crash, ...)               -> restarts the kiosk (0)
  Every other account (administrators included) keeps explorer.exe.
  Changes take effect at the kiosk user's next sign-in.

.EXAMPLE
  powershell.exe -ExecutionPolicy Bypass -File set-shell-launcher.ps1
.EXAMPLE
  powershell.exe -ExecutionPolicy Bypass -File set-shell-launcher.ps1 -Remove
#>
[CmdletBinding()]
param(
    [string] $KioskUser = "kiosk",
    [string] $ShellPath = (Join-Path $env:ProgramFiles "Virtu Kiosk\virtu-kiosk.exe"),
    [switch] $Remove
)
$ErrorActionPreference = "Stop"

# Shell Launcher actions (WESL_UserSetting.SetCustomShell): 0 restart the shell,
# 1 restart the device, 2 shut the device down, 3 do nothing.
$RestartShell = 0
$DoNothing = 3
$NoRestartCodes = [int[]]@(75, 2)
$AdministratorsSid = "S-1-5-32-544"

$me = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $me.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw "Run this script in an elevated (administrator) Windows PowerShell."
}

$feature = Get-WindowsOptionalFeature -Online -FeatureName Client-EmbeddedShellLauncher
if ($feature.State -ne "Enabled") {
    Enable-WindowsOptionalFeature -Online -FeatureName Client-DeviceLockdown, Client-EmbeddedShellLauncher -NoRestart | Out-Null
    Write-Host "Shell Launcher was turned on. Restart Windows, then run this script again."
    exit 1
}

$sid = (New-Object Security.Principal.NTAccount($KioskUser)).Translate([Security.Principal.SecurityIdentifier]).Value
try {
    $isAdmin = Get-LocalGroupMember -SID $AdministratorsSid | Where-Object { $_.SID.Value -eq $sid }
} catch {
    Write-Warning "Could not list the Administrators group ($_). Check by hand that '$KioskUser' is a standard user."
    $isAdmin = $null
}
if ($isAdmin) {
    throw "The user '$KioskUser' is an administrator. The kiosk user must be a standard user."
}

$sl = [wmiclass]"\\localhost\root\standardcimv2\embedded:WESL_UserSetting"

function Assert-Ok($result, [string] $what) {
    if ($result.ReturnValue -ne 0) { throw "$what failed (return value $($result.ReturnValue))." }
}

# A previous setting for the user is replaced, not added to.
try { $sl.RemoveCustomShell($sid) | Out-Null } catch { }

if ($Remove) {
    Write-Host "The kiosk shell was removed for '$KioskUser'; that user gets explorer.exe at the next sign-in."
    exit 0
}

if (-not (Test-Path -LiteralPath $ShellPath -PathType Leaf)) {
    throw "The kiosk program was not found at '$ShellPath'. Install it first (virtu-kiosk-setup-*.exe)."
}

# Everyone else (and every administrator) keeps the normal desktop.
Assert-Ok ($sl.SetDefaultShell("explorer.exe", $RestartShell)) "SetDefaultShell"
try { $sl.RemoveCustomShell($AdministratorsSid) | Out-Null } catch { }
Assert-Ok ($sl.SetCustomShell($AdministratorsSid, "explorer.exe", $null, $null, $RestartShell)) "SetCustomShell (Administrators)"

# The kiosk user: the kiosk program, quoted because its path holds spaces.
$actions = [int[]]@($NoRestartCodes | ForEach-Object { $DoNothing })
Assert-Ok ($sl.SetCustomShell($sid, "`"$ShellPath`"", $NoRestartCodes, $actions, $RestartShell)) "SetCustomShell ($KioskUser)"
Assert-Ok ($sl.SetEnabled($true)) "SetEnabled"

Write-Host "Done. '$KioskUser' now gets the Virtu kiosk as its shell at the next sign-in."
Write-Host "Exit status 75 (stopped for servicing) and 2 (configuration error) leave it stopped; any other exit restarts it."
