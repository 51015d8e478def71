; Inno Setup 6 script for the Virtu service-point kiosk (Windows booth).
; Unverified here: written on Linux, never compiled or run on Windows.
;
; Build, from the repository root on Windows (see README.md beside this file):
;   pyinstaller kiosk.spec
;   iscc /DAppVersion=x.y.z installer\windows\virtu-kiosk.iss
; Needs Inno Setup 6.3 or later (the x64compatible architecture identifier).

#ifndef AppVersion
  #define AppVersion "0.0.0-dev"
#endif
#define AppName "Virtu Kiosk"
#define AppExe "virtu-kiosk.exe"

[Setup]
; A fixed AppId: a new setup with the same AppId updates the installed kiosk in place.
; The doubled "{{" is Inno Setup's escape for a literal "{". Never change this value.
AppId={{21A9AE1B-9ADE-4804-81A4-F7B0DFD6B268}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Virtu
; Paths below are relative to the repository root (two levels up from this script).
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=virtu-kiosk-setup-{#AppVersion}
DefaultDirName={autopf}\Virtu Kiosk
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
Compression=lzma2
SolidCompression=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fi"; MessagesFile: "compiler:Languages\Finnish.isl"

[Dirs]
; The settings folder the kiosk reads on Windows: session/paths.py default_config_path()
; = %PROGRAMDATA%\Virtu\kiosk.toml. Kept on uninstall: it holds the booth's settings.
Name: "{commonappdata}\Virtu"; Flags: uninsneveruninstall

[Files]
; The PyInstaller one-folder build (dist\virtu-kiosk\virtu-kiosk.exe and its files).
Source: "dist\virtu-kiosk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The booth's settings: created from the example only when there is none yet, so an update
; never overwrites a booth's own file, and the uninstaller leaves it in place.
Source: "docs\kiosk.example.toml"; DestDir: "{commonappdata}\Virtu"; DestName: "kiosk.toml"; Flags: onlyifdoesntexist uninsneveruninstall

; No [Icons] and no [Run]: the kiosk is started by Shell Launcher as the kiosk user's
; shell (set-shell-launcher.ps1), never from the installing administrator's desktop.
